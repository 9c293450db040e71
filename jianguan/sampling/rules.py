"""Rules of the sampling flow and of product quality supervision sampling (产品质量监督抽查).
Imported from ``SamplingConfig.ready``, which also registers the product sector."""

from __future__ import annotations

from jianguan.core.rules import define

from .sectors import PRODUCT, Sector, register

PQL = "《中华人民共和国产品质量法》"

define("sampling.product_objection_days", 15,
       "产品质量监督抽查：对检验结果有异议的，自收到检验结果之日起申请复检的期限（日）",
       source=f"{PQL}第十五条第三款", confidence="C")
define("sampling.rectification_days", 30, "抽检不合格：责令整改期限（日，自检验结果送达之日起）",
       source=f"{PQL}第十七条（期限为本平台默认值）", confidence="U")
define("sampling.resample_days", 90, "整改期满后复查抽检的期限（日，自整改期满之日起）",
       source="《产品质量监督抽查管理暂行办法》（期限为本平台默认值）", confidence="U")
define("sampling.publish_unqualified", True, "抽检不合格结果向社会公布",
       source=f"{PQL}第十五条第二款「抽查的结果应当公布」", confidence="C")

register(Sector(code=PRODUCT, label="产品质量监督抽查", objection_rule="sampling.product_objection_days",
                objection_in_working_days=False, rectification_rule="sampling.rectification_days",
                lead_source="monitoring"))

define("sampling.photo_max_bytes", 8 * 1024 * 1024, "抽样现场照片的大小上限（字节；仅接受 JPEG、PNG 照片）",
       source="本平台默认值（手机照片一般 2–6 MB）", confidence="U")
