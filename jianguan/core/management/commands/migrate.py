"""``jianguan migrate``: Django's, with a fast path for a new SQLite database (``jianguan.core.sqlite.fresh``)."""

from __future__ import annotations

from django.apps import apps
from django.core.management.commands import migrate
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from jianguan.core.sqlite import fresh


class Command(migrate.Command):
    help = migrate.Command.help + " A new, empty SQLite database is created from the final state in one transaction."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--replay", action="store_true",
                            help="Replay every migration (Django's ordinary migrate) even on a new SQLite database.")

    def handle(self, *args, **options):
        if self._fresh(options):
            return None
        return super().handle(*args, **options)

    def _fresh(self, options) -> bool:
        """Create a new SQLite database the fast way if that cannot differ from replaying; False otherwise."""
        if any(options.get(k) for k in ("replay", "app_label", "migration_name", "fake", "fake_initial", "plan",
                                        "check_unapplied", "prune")):
            return False
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return False
        self.verbosity = options["verbosity"]
        self.interactive = options["interactive"]
        connection.prepare_database()
        executor = MigrationExecutor(connection, self.migration_progress_callback)
        executor.loader.check_consistent_history(connection)
        # ``--run-syncdb`` (Django's ``create_test_db`` passes it) also creates the tables of apps without
        # migrations; when none of them has a model it creates nothing, and the fast path gives the same database.
        if options.get("run_syncdb") and any(list(apps.get_app_config(label).get_models())
                                             for label in executor.loader.unmigrated_apps):
            return False
        if executor.loader.detect_conflicts():
            return False  # Django's command says which
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not fresh.applicable(connection, executor, plan):
            return False
        from importlib import import_module

        from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
        from django.utils.module_loading import module_has_submodule

        for app_config in apps.get_app_configs():
            if module_has_submodule(app_config.module, "management"):
                import_module(".management", app_config.name)
        if self.verbosity >= 1:
            self.stdout.write(self.style.MIGRATE_HEADING("新数据库：按迁移的最终状态一次建表（jianguan.core.sqlite.fresh）"))
        pre_state = executor._create_project_state(with_applied_migrations=True)
        emit_pre_migrate_signal(self.verbosity, self.interactive, connection.alias, stdout=self.stdout,
                                apps=pre_state.apps, plan=plan)
        state = fresh.create(connection.alias, executor, plan, self.migration_progress_callback)
        emit_post_migrate_signal(self.verbosity, self.interactive, connection.alias, stdout=self.stdout,
                                 apps=state.apps, plan=plan)
        return True
