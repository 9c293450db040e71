"""Fill English translations into locale/en/LC_MESSAGES/django.po from the table below, then compile.

    python jianguan/locale/translate_en.py   (after `jianguan makemessages -l en`)

The source language is Chinese; this table is the English catalogue. Untranslated messages fall back to Chinese.
"""

import re
import subprocess
from pathlib import Path

EN = {
    "平顶山市市场监督管理局": "Pingdingshan Administration for Market Regulation",
    "API 令牌": "API tokens", "工作台": "Workbench", "首页": "Home", "系统管理": "Administration",
    "组织机构": "Organisation", "工作人员": "Staff", "工作日历": "Working-day calendar", "业务规则参数": "Rules",
    "安全管理": "Security", "安全策略": "Security policy", "安全审计": "Audit", "审计日志": "Audit log",
    "个人": "Me", "修改密码": "Change password", "登记注册员": "Registrar", "检查人员": "Inspector",
    "执法办案人员": "Case officer", "法制审核人员": "Legal reviewer", "投诉举报处理人员": "Complaint handler",
    "信用监管人员": "Credit officer", "特种设备监管人员": "Special-equipment supervisor",
    "食品安全监管人员": "Food-safety supervisor", "药品监管人员": "Drug supervisor",
    "产品质量监管人员": "Product-quality supervisor", "科室/单位负责人": "Head of department/unit",
    "局领导": "Bureau leader", "系统管理员": "System administrator", "安全管理员": "Security administrator",
    "安全审计员": "Audit administrator", "您好，%(name)s": "Hello, %(name)s", "我的单位与角色": "My unit and roles",
    "未分配单位": "No unit assigned", "未分配角色": "No role assigned", "今天": "Today", "登录": "Sign in",
    "监管工作台": "Jianguan workbench", "长时间未操作，已自动退出，请重新登录。":
    "You were signed out after a period of inactivity. Please sign in again.", "用户名": "Username",
    "密码": "Password", "返回公众服务门户": "Back to the public portal", "无权访问": "Access denied",
    "您没有执行此操作的权限。如确需办理，请联系本单位负责人或系统管理员。":
    "You do not have permission for this. If you need it, ask the head of your unit or the system administrator.",
    "返回工作台": "Back to the workbench", "返回首页": "Back to the home page", "页面不存在": "Page not found",
    "您访问的页面不存在，或不在您的数据权限范围内。": "This page does not exist or is outside your data scope.",
    "系统错误": "Server error", "服务器处理请求时出错，已记录。请稍后重试；如问题持续，请联系系统管理员。":
    "The server failed to handle the request; the error was logged. Try again later, or contact the system administrator.",
    "顶部导航": "Top navigation", "打开菜单": "Open menu", "监管 · 工作台": "Jianguan · Workbench", "退出": "Sign out",
    "功能菜单": "Menu",
    "知识产权管理人员": "IP protection officer", "网络交易监管人员": "Online-trade monitor",
    "价格监督检查人员": "Price and fee inspector", "打击假冒伪劣人员": "Anti-counterfeiting officer",
    "质量发展人员": "Quality-development officer",
    "认证认可与检验检测监管人员": "Certification and testing supervisor", "标准化管理人员": "Standardization officer",
    "督查督办人员": "Supervision-office officer", "价格监测人员": "Price-monitoring officer",
    "计量监管人员": "Metrology supervisor",
}


def main() -> None:
    po = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")

    def fill(match: re.Match) -> str:
        msgid = match.group(1)
        en = EN.get(msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
                    if "\\u" in msgid else msgid)
        if en is None:
            return match.group(0)
        return f'msgid "{msgid}"\nmsgstr "{en}"'

    # Join wrapped msgids ('msgid ""' followed by continuation lines) so each is matched whole.
    text = re.sub(r'msgid ""\n((?:"[^\n]*"\n)+)msgstr ""',
                  lambda m: 'msgid "' + "".join(line[1:-1] for line in m.group(1).splitlines()) + '"\nmsgstr ""', text)
    text = re.sub(r'msgid "(.+?)"\nmsgstr ""', fill, text)
    text = text.replace("#, fuzzy\n", "", 1)
    po.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


if __name__ == "__main__":
    main()
