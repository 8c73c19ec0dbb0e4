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

function checkDirection(direction) {
    // the screen is laid out in the language's direction: in right-to-left the detail panel
    // sits left of the list, the back button at the right, amounts aligned to the end
    return {
        content: `the Pickups screen is laid out ${direction}`,
        trigger: ".omni-pickup-detail .omni-payment-method",
        run: () => {
            const screen = document.querySelector(".omni-pickup-screen");
            const rtl = direction === "rtl";
            if (getComputedStyle(screen).direction !== direction) {
                throw new Error(`direction is ${getComputedStyle(screen).direction}`);
            }
            const list = document.querySelector(".omni-pickup").getBoundingClientRect();
            const detail = document.querySelector(".omni-pickup-detail").getBoundingClientRect();
            if ((detail.right <= list.left + 1) !== rtl || (detail.left >= list.right - 1) === rtl) {
                throw new Error("the detail panel is on the wrong side");
            }
            const back = document.querySelector(".omni-back").getBoundingClientRect();
            const middle = screen.getBoundingClientRect().left + screen.clientWidth / 2;
            if ((back.left > middle) !== rtl) {
                throw new Error("the back button is on the wrong side");
            }
        },
    };
}

function pickupHandoverSteps(direction, shot) {
    return [
        ...openScreen("Pickups"),
        { trigger: ".omni-pickup:contains(OMNI TOUR PICKUP)", run: "click" },
        { trigger: ".omni-pickup-detail .omni-payment-method" },
        checkDirection(direction),
        screenshot(shot),
        // partial handover: the customer refuses the second item
        { trigger: ".omni-pickup-detail tr:contains(Tour Shoe) .omni-qty", run: "edit 0" },
        { trigger: ".omni-handover", run: "click" },
        { trigger: ".omni-handover-done" },
        { trigger: ".omni-receipt:contains(Tour Jacket)" },
        { trigger: ".omni-next", run: "click" },
    ];
}

registry.category("web_tour.tours").add("OmniPickupHandoverTour", {
    steps: () => pickupHandoverSteps("ltr", "pickup_screen"),
});

registry.category("web_tour.tours").add("OmniPickupHandoverRtlTour", {
    steps: () => pickupHandoverSteps("rtl", "pickup_screen_ar_001"),
});

registry.category("web_tour.tours").add("OmniPickupCjkTour", {
    // zh_CN: the customer is found by her Chinese name, the Chinese product is handed over
    steps: () => [
        ...openScreen("Pickups"),
        { trigger: ".omni-pickup-screen .omni-search", run: "edit 王小明" },
        { trigger: ".omni-pickup-screen .omni-search", run: "press Enter" },
        { trigger: ".omni-pickup-detail tr:contains(山地鞋) .omni-qty" },
        { trigger: ".omni-pickup.border-primary:contains(王小明)" },
        checkDirection("ltr"),
        {
            content: "CJK text does not break the search button into a column of characters",
            trigger: ".omni-pickup-screen .omni-search-button",
            run: () => {
                const button = document.querySelector(".omni-pickup-screen .omni-search-button");
                const input = document.querySelector(".omni-pickup-screen .omni-search");
                if (button.offsetHeight > input.offsetHeight + 1) {
                    throw new Error(`search button is ${button.offsetHeight}px high`);
                }
            },
        },
        screenshot("pickup_screen_zh_CN"),
        { trigger: ".omni-handover", run: "click" },
        { trigger: ".omni-receipt:contains(山地鞋):contains(王小明)" },
        { trigger: ".omni-next", run: "click" },
    ],
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
            // the list is reloaded (the packed transfer moved to "Packed for shipping") before
            // the remaining task is opened: clicking the stale list would pick the packed one
            { trigger: ".omni-packed" },
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

registry.category("web_tour.tours").add("OmniKoelnDemoTour", {
    // the make-run demo, as store.koeln: the ready pickup is handed over and paid, and the
    // ship-from-store task waits in Store orders
    steps: () =>
        [
            ...openScreen("Pickups"),
            { trigger: ".omni-pickup:contains(DEMO Köln pickup)", run: "click" },
            { trigger: ".omni-pickup-detail tr:contains(Rain Jacket)" },
            { trigger: ".omni-pickup-detail .omni-payment-method" },
            { trigger: ".omni-handover", run: "click" },
            { trigger: ".omni-handover-done" },
            { trigger: ".omni-receipt:contains(Rain Jacket)" },
            { trigger: ".omni-next", run: "click" },
            { trigger: ".omni-back", run: "click" },
            Chrome.clickMenuOption("Store orders"),
            { trigger: ".omni-task:contains(Ship from store):contains(Lena Schmitz)" },
            screenshot("koeln_demo_store_orders"),
        ].flat(),
});
