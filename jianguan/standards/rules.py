"""Rules of standardization work, each with its source."""

from __future__ import annotations

from jianguan.core.rules import define

LAW = "《中华人民共和国标准化法》（2017年修订）"

define("standards.local_prefixes", ["DB41", "DB4104"],
       "本局登记的地方标准代号（河南省 DB41，平顶山市 DB4104）",
       source=f"{LAW}第十三条（设区的市可以制定地方标准）；《地方标准管理办法》（市场监管总局令第26号）第十条（编号）",
       confidence="S")
define("standards.comment_days", 30, "地方标准征求意见的期限不少于（日）",
       source="《地方标准管理办法》（市场监管总局令第26号）关于征求意见期限的规定（规定此值的条款号未能与公布文本核对）；核对前按本平台默认值对待，由本局更正", confidence="U")
define("standards.self_declaration", True,
       "企业执行的标准须在企业标准信息公共服务平台自我声明公开（登记时填写公开日期）",
       source=f"{LAW}第二十七条", confidence="C")
define("standards.leader_basis", "国市监标准〔2018〕84号",
       "企业标准“领跑者”制度依据",
       source="《关于实施企业标准“领跑者”制度的意见》（国市监标准〔2018〕84号，该意见不分条）；记录的依据文号为本平台设定",
       confidence="U")
