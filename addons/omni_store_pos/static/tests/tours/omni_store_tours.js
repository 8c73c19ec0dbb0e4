import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import { registry } from "@web/core/registry";

function openScreen(label) {
    return [
        Chrome.startPoS(),
        Dialog.confirm(),
        Chrome.clickMenuOption(label),
    ].flat();
}

function screenshot(name) {
    // the Python test captures the page when it sees this message (tests/test_tours.py)
    return { content: `screenshot ${name}`, trigger: "body", run: () => console.log(`omni-screenshot:${name}`) };
}

registry.category("web_tour.tours").add("OmniPickupHandoverTour", {
    steps: () =>
        [
            ...openScreen("Pickups"),
            { trigger: ".omni-pickup:contains(OMNI TOUR PICKUP)", run: "click" },
            { trigger: ".omni-pickup-detail .omni-payment-method" },
            screenshot("pickup_screen"),
            // partial handover: the customer refuses the second item
            { trigger: ".omni-pickup-detail tr:contains(Tour Shoe) .omni-qty", run: "edit 0" },
            { trigger: ".omni-handover", run: "click" },
            { trigger: ".omni-handover-done" },
            { trigger: ".omni-receipt:contains(Tour Jacket)" },
            { trigger: ".omni-next", run: "click" },
        ].flat(),
});

registry.category("web_tour.tours").add("OmniStorePickTour", {
    steps: () =>
        [
            ...openScreen("Store orders"),
            { trigger: ".omni-task:contains(Ship from store)", run: "click" },
            { trigger: ".omni-scan", run: "edit 0000000000000" },
            { trigger: ".omni-scan", run: "press Enter" },
            { trigger: ".omni-scan-message.alert-warning:contains(is not part of)" },
            { trigger: ".omni-scan", run: "edit OMNI-TJKT" },
            { trigger: ".omni-scan", run: "press Enter" },
            { trigger: ".omni-scan-message.alert-success" },
            screenshot("store_orders_screen"),
            { trigger: ".omni-pack", run: "click" },
            { trigger: ".omni-scan-message:contains(Packed)" },
            // the second task cannot be fulfilled
            { trigger: ".omni-task", run: "click" },
            { trigger: ".omni-reject", run: "click" },
            { trigger: ".omni-scan-message:contains(re-routing)" },
            { trigger: "div:contains(Nothing to pick)" },
        ].flat(),
});

registry.category("web_tour.tours").add("OmniReturnTour", {
    steps: () =>
        [
            ...openScreen("Return online order"),
            { trigger: ".omni-return-screen .omni-search", run: "edit tour@example.com" },
            { trigger: ".omni-return-screen .omni-search-button", run: "click" },
            { trigger: ".omni-return-order", run: "click" },
            { trigger: ".omni-return-qty", run: "edit 1" },
            { trigger: ".omni-destination", run: "select damaged" },
            screenshot("return_screen"),
            { trigger: ".omni-return-confirm", run: "click" },
            { trigger: ".omni-return-done" },
        ].flat(),
});
