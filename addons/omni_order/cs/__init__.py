from .planner import (
    LabelInfo,
    LineInfo,
    MoveInfo,
    OrderInfo,
    PickingInfo,
    Plan,
    PurchaseLineInfo,
    plan_address,
    plan_cancel,
    plan_mode,
    plan_resend,
)
