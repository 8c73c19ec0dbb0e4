import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_order_dashboard_tour", {
    url: "/odoo/action-omni_order.omni_order_dashboard_action",
    steps: () => [
        {
            content: "The dashboard shows the open orders per step",
            trigger: ".o_omni_dashboard .o_omni_steps td:contains('Confirmed')",
            run: "click",
        },
        {
            content: "Clicking a step opens its orders",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
