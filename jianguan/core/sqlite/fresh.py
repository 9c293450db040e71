"""Creating a new SQLite database in seconds instead of replaying every migration (``jianguan migrate``, #16).

Replaying the migrations on an empty file spends almost all of its time (~35 s of CPU for 75 migrations) not in
SQLite but in Django re-rendering the historical models: every ``CreateModel``/``AddField``/``AddIndex`` reloads all
the models related to the one it changes, and nearly every model points at the register, the units or the users.
On a database that has no table yet the result of that replay is known in advance: the final migration state. So:

1. the final state of the migration graph is built once (``MigrationLoader.project_state``: no rendering per step)
   and rendered once;
2. each of its tables is created from that state by the schema editor (the same SQL ``CreateModel`` emits), all in
   one transaction with ``synchronous=OFF`` and the rollback journal in memory — nothing to protect on a file that
   did not exist, and if it fails the file is left empty;
3. the migrations' data operations (``RunPython``, ``RunSQL``) run in plan order against the final models;
4. every migration is recorded as applied, then the file is switched to WAL once (a property of the file).

It is used only when it cannot differ from replaying: SQLite, a database with no table at all, every migration to
apply, and no operation outside the known set (schema operations whose end result the final state already holds,
plus ``RunPython``/``RunSQL``). Anything else — PostgreSQL, an existing database, a target migration, ``--fake``, an
unknown operation — goes through Django's ordinary ``migrate``. ``jianguan/core/tests/test_fresh_sqlite.py`` checks
that the schema (``sqlite_master``) and the rows the data migrations write equal those of an ordinary migrate.
"""

from __future__ import annotations

from django.db import connections
from django.db.migrations import operations as ops
from django.db.migrations.executor import MigrationExecutor
from django.db.models import UniqueConstraint

#: Operations whose whole effect on a new database is the final state's tables, indexes and constraints.
SCHEMA_OPERATIONS = (
    ops.CreateModel,
    ops.DeleteModel,
    ops.RenameModel,
    ops.AlterModelTable,
    ops.AlterModelTableComment,
    ops.AlterUniqueTogether,
    ops.AlterIndexTogether,
    ops.AlterOrderWithRespectTo,
    ops.AlterModelOptions,
    ops.AlterModelManagers,
    ops.AddField,
    ops.RemoveField,
    ops.AlterField,
    ops.RenameField,
    ops.AddIndex,
    ops.RemoveIndex,
    ops.RenameIndex,
    ops.AddConstraint,
    ops.RemoveConstraint,
)
DATA_OPERATIONS = (ops.RunPython, ops.RunSQL)


def is_empty(connection) -> bool:
    """True if the database holds no table at all (a file just created, or one of zero bytes)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return cursor.fetchone()[0] == 0


def applicable(connection, executor: MigrationExecutor, plan) -> bool:
    """Whether ``plan`` on ``connection`` may be applied by :func:`create` instead of being replayed."""
    if connection.vendor != "sqlite" or not plan or any(backwards for _, backwards in plan):
        return False
    if executor.loader.applied_migrations or not is_empty(connection):
        return False
    full = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    if [(m.app_label, m.name) for m, _ in full] != [(m.app_label, m.name) for m, _ in plan]:
        return False
    for migration, _ in plan:
        for operation in migration.operations:
            if isinstance(operation, ops.SeparateDatabaseAndState):
                if not all(isinstance(o, DATA_OPERATIONS) for o in operation.database_operations):
                    return False
            elif not isinstance(operation, SCHEMA_OPERATIONS + DATA_OPERATIONS):
                return False
    return True


def _columns(model_state) -> list[str]:
    """The names of the fields of ``model_state`` that have a column, in the state's order."""
    return [name for name, f in model_state.fields.items() if not f.many_to_many and getattr(f, "concrete", True)]


def _should_alter(old, new) -> bool:
    """Django's ``_field_should_be_altered`` for unbound fields of the (unrendered) migration state."""
    _, old_path, old_args, old_kwargs = old.deconstruct()
    _, new_path, new_args, new_kwargs = new.deconstruct()
    for attr in old.non_db_attrs:
        old_kwargs.pop(attr, None)
    for attr in new.non_db_attrs:
        new_kwargs.pop(attr, None)
    if old.remote_field and new.remote_field and str(old_kwargs.get("to")).lower() == str(new_kwargs.get("to")).lower():
        old_kwargs.pop("to", None)
        new_kwargs.pop("to", None)
    return (old_path, old_args, old_kwargs) != (new_path, new_args, new_kwargs)


def _remade(app: str, model: str, fields: dict, last: str | None = None) -> list[str]:
    """Column order after Django's SQLite ``_remake_table``: the state's order, the created or altered field (newer
    in the to-state) after the others, and self-referential foreign keys last (the remake clones them, and a model's
    fields are ordered by their creation counter)."""
    label = f"{app}.{model}"

    def self_ref(f):
        to = getattr(getattr(f, "remote_field", None), "model", None)
        return isinstance(to, str) and to.lower() in (label, "self")

    columns = [n for n, f in fields.items() if not f.many_to_many and n != last]
    ordinary = [n for n in columns if not self_ref(fields[n])]
    return ordinary + ([last] if last else []) + [n for n in columns if self_ref(fields[n])]


def replayed_column_order(plan) -> dict[tuple[str, str], list[str]]:
    """The order of the columns each table would have after replaying ``plan`` on SQLite.

    Django's SQLite schema editor appends added columns, and when it remakes a table (to alter a column, to add one
    that ``ALTER TABLE`` cannot, or for a check or plain unique constraint) it writes the columns in its own order
    (``_remade``). The final state alone does not say that, so the plan's schema operations are walked here on an
    unrendered state (cheap: nothing is rendered) to give each new table the columns in the same order.
    """
    from django.db.migrations.state import ProjectState

    state = ProjectState()
    order: dict[tuple[str, str], list[str]] = {}
    for migration, _ in plan:
        app = migration.app_label
        for op in migration.operations:
            if isinstance(op, ops.SeparateDatabaseAndState):
                for inner in op.state_operations:
                    inner.state_forwards(app, state)
                continue
            name = getattr(op, "model_name_lower", None) or getattr(op, "name_lower", None)
            key = (app, name)
            model_before = state.models.get(key)  # mutated in place by state_forwards: keep copies
            fields_before = dict(model_before.fields) if model_before else {}
            constraints_before = list(model_before.options.get("constraints", [])) if model_before else []
            op.state_forwards(app, state)
            after = state.models.get(key)
            if isinstance(op, ops.CreateModel):
                order[key] = _columns(after)
            elif isinstance(op, ops.DeleteModel):
                order.pop(key, None)
            elif isinstance(op, ops.RenameModel):
                order[(app, op.new_name_lower)] = order.pop((app, op.old_name_lower))
            elif isinstance(op, ops.AddField):
                field = after.fields[op.name]
                if field.many_to_many:
                    pass
                elif field.primary_key or field.unique or not field.null or field.has_default() or (
                    field.has_db_default()
                ):
                    order[key] = _remade(app, name, fields_before, last=op.name)  # remade with create_field
                else:
                    order[key].append(op.name)  # ALTER TABLE ADD COLUMN
            elif isinstance(op, ops.RemoveField):
                field = fields_before[op.name]
                if field.primary_key or field.unique or field.db_index or (field.remote_field and field.db_constraint):
                    order[key] = _remade(app, name, after.fields)
                elif op.name in order[key]:
                    order[key].remove(op.name)  # ALTER TABLE DROP COLUMN
            elif isinstance(op, ops.RenameField):
                order[key] = [op.new_name if c == op.old_name else c for c in order[key]]
            elif isinstance(op, ops.AlterField):
                new_field = after.fields[op.name]
                old_field = fields_before.get(op.name)
                if old_field is not None and op.name in order[key] and _should_alter(old_field, new_field):
                    order[key] = _remade(app, name, after.fields, last=op.name)
            elif isinstance(op, (ops.AddConstraint, ops.RemoveConstraint)):
                constraint = op.constraint if isinstance(op, ops.AddConstraint) else next(
                    (c for c in constraints_before if c.name == op.name), None
                )
                special = isinstance(constraint, UniqueConstraint) and (
                    constraint.condition or constraint.contains_expressions or constraint.include
                    or constraint.deferrable
                )
                if not special:
                    order[key] = _remade(app, name, after.fields)
    return order


def _data_operations(migration):
    for operation in migration.operations:
        if isinstance(operation, ops.SeparateDatabaseAndState):
            yield from operation.database_operations
        elif isinstance(operation, DATA_OPERATIONS):
            yield operation


def create(using: str, executor: MigrationExecutor, plan, progress=None):
    """Apply ``plan`` (every migration, on an empty SQLite database) as described in the module docstring. Returns
    the final project state (rendered), for the ``post_migrate`` signal."""
    connection = connections[using]
    loader = executor.loader
    state = loader.project_state()
    for key, columns in replayed_column_order(plan).items():
        model_state = state.models.get(key)
        if model_state is not None and _columns(model_state) != columns:
            others = [n for n in model_state.fields if n not in columns]
            model_state.fields = {n: model_state.fields[n] for n in columns + others}
    final_apps = state.apps
    models = [
        final_apps.get_model(app_label, name)
        for (app_label, name) in state.models
        if app_label in loader.migrated_apps
    ]
    models = [m for m in models if m._meta.managed and not m._meta.proxy and not m._meta.swapped]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode = MEMORY")
        cursor.execute("PRAGMA synchronous = OFF")
    try:
        executor.recorder.ensure_schema()
        with connection.schema_editor(atomic=True) as editor:
            for model in models:
                editor.create_model(model)
            # The indexes and constraints the schema editor defers, before the data operations read the tables.
            for sql in editor.deferred_sql:
                editor.execute(sql)
            editor.deferred_sql = []
            for migration, _ in plan:
                if progress:
                    progress("apply_start", migration, False)
                for operation in _data_operations(migration):
                    operation.database_forwards(migration.app_label, editor, state, state)
                executor.record_migration(migration)
                if progress:
                    progress("apply_success", migration, False)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA journal_mode = WAL")
    return state
