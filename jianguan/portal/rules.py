"""Rules of the portal and the open data API."""

from jianguan.core.rules import define

define("portal.open_api_rate", "300/m", "公开数据接口每个 IP 的请求频率上限（如 300/m；留空为不限）",
       "本平台设定：批量数据请使用每日数据包下载", "U")
define("portal.search_rate", "60/m", "门户企业信用查询每个 IP 的频率上限", "本平台设定", "U")
define("portal.opendata_keep_days", 7, "每日数据包保留天数", "本平台设定", "U")
define("portal.report_rate", "10/m", "门户企业信用报告（PDF）每个 IP 的生成频率上限（如 10/m；留空为不限）",
       "本平台设定：每份报告在服务器上排版生成，限制频率以免被滥用", "U")
define("portal.sms_rate", "10/h", "每个 IP 提交注册表单（个人注册、企业开通，无论是否通过校验）和重新发送短信验证码的频率上限（如 10/h；留空为不限）",
       "本平台设定：每个号码另有发送间隔和每日上限（startup.verification_*），本项防止一个地址向大量号码发送（短信轰炸），或逐个试探号码是否已注册、代码与姓名是否相符", "U")
define("portal.records_sweep_workers", 2, "每日作业重建公示信息的并行进程数（仅 PostgreSQL；每个进程占一个 CPU 核，宜不超过核数）",
       "本平台设定：生成公示信息是逐户的 Python 计算，一个进程只用一个核；全省规模的七月列异后，两核服务器用两个进程约快一倍", "U")
define("portal.records_sweep_minutes", 5, "每日作业重建公示信息的时长上限（分钟；到时停止，未重建的在被查询时即时重建或次日继续；0 为不限）",
       "本平台设定：七月年报列异一次使数百万户的公示信息待更新（全省规模），每日作业须在限定时间内完成，"
       "待更新的公示信息在被查询时即时重建，不会显示旧内容", "U")
