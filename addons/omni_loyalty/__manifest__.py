{
    "name": "Omni B2B Loyalty",
    "summary": "B2B partner scorecards, bonus rules with volume tiers, rule-driven campaigns",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Omni",
    "website": "https://github.com/omni-retail/omni",
    "license": "LGPL-3",
    "depends": ["purchase_stock", "sale_stock", "account"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
    "development_status": "Alpha",
}
