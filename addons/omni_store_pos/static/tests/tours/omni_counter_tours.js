import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PartnerList from "@point_of_sale/../tests/tours/utils/partner_list_util";
import { registry } from "@web/core/registry";

// Tours of the endless aisle, the carrier labels and the printed receipts; the Python side
// (tests/test_tours_counter.py) checks the records afterwards.

function openScreen(label) {
    return [Chrome.startPoS(), Dialog.confirm(), Chrome.clickMenuOption(label)].flat();
}

function screenshot(name) {
    // the Python test captures the page when it sees this message
    return {
        content: `screenshot ${name}`,
        trigger: "body",
        run: async () => {
            console.log(`omni-screenshot:${name}`);
            // let the capture see this state before the next step changes it
            await new Promise((resolve) => setTimeout(resolve, 1000));
        },
    };
}

function printReceipt(product) {
    // the receipt goes through the POS printer service; without a receipt printer it falls
    // back to the browser's print dialog, replaced here by a marker
    return [
        {
            content: "no print dialog in the test browser",
            trigger: ".omni-print",
            run: () => {
                window.print = () => document.body.classList.add("omni-printed");
            },
        },
        { trigger: ".omni-print", run: "click" },
        { trigger: `.render-container .omni-receipt-print .omni-receipt:contains(${product})` },
        { trigger: "body.omni-printed" },
    ];
}

registry.category("web_tour.tours").add("OmniEndlessAisleTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm(),
            // from the product screen's actions (also in the menu)
            { trigger: ".control-buttons .more-btn", run: "click" },
            { trigger: ".modal .omni-aisle-button", run: "click" },
            { trigger: ".omni-aisle-customer", run: "click" },
            PartnerList.clickPartner("Tour Customer"),
            { trigger: ".omni-aisle-partner:contains(Tour Customer)" },
            { trigger: ".omni-aisle-screen .omni-search", run: "edit Tour Boot" },
            { trigger: ".omni-aisle-screen .omni-search-button", run: "click" },
            { trigger: ".omni-aisle-product:contains(Tour Boot) .omni-aisle-nodes:contains(Berlin)" },
            { trigger: ".omni-aisle-product:contains(Tour Boot) .omni-aisle-add", run: "click" },
            { trigger: ".omni-aisle-qty", run: "edit 2" },
            { trigger: ".omni-aisle-mode", run: "select home" },
            { trigger: ".omni-aisle-address:contains(Hohe Straße 1)" },
            screenshot("endless_aisle"),
            { trigger: ".omni-aisle-sell:enabled", run: "click" },
            { trigger: ".omni-aisle-done" },
            { trigger: ".omni-receipt-order:contains(Home delivery)" },
            ...printReceipt("Tour Boot"),
            { trigger: ".omni-next", run: "click" },
            { trigger: ".omni-aisle-sell:disabled" },
        ].flat(),
});

registry.category("web_tour.tours").add("OmniHandoverPrintTour", {
    steps: () =>
        [
            ...openScreen("Pickups"),
            { trigger: ".omni-pickup:contains(OMNI TOUR PRINT)", run: "click" },
            { trigger: ".omni-handover", run: "click" },
            { trigger: ".omni-handover-done" },
            ...printReceipt("Tour Jacket"),
            { trigger: ".omni-next", run: "click" },
        ].flat(),
});

registry.category("web_tour.tours").add("OmniStoreLabelTour", {
    steps: () =>
        [
            ...openScreen("Store orders"),
            {
                content: "no new tab for the PDF in the test browser",
                trigger: ".omni-store-orders-screen",
                run: () => {
                    window.open = (url) => document.body.setAttribute("data-omni-opened", url);
                },
            },
            { trigger: ".omni-task:contains(Ship from store)", run: "click" },
            { trigger: ".omni-scan", run: "edit OMNI-TJKT" },
            { trigger: ".omni-scan", run: "press Enter" },
            { trigger: ".omni-scan-message.alert-success" },
            { trigger: ".omni-pack", run: "click" },
            { trigger: ".omni-scan-message:contains(Packed)" },
            // packing a ship-from-store task prints its label once the carrier answered
            { trigger: ".omni-label-info.alert-success .omni-label-link" },
            { trigger: "body[data-omni-opened^='/web/content/']" },
            screenshot("store_label"),
            // no Omni carrier on the other one: the button says why
            { trigger: ".omni-packed:contains(No Carrier Customer) .omni-print-label", run: "click" },
            { trigger: ".omni-label-info.alert-warning:contains(no carrier connected to Omni)" },
            // and the label can be printed again
            { trigger: ".omni-packed:contains(DHL) .omni-print-label", run: "click" },
            { trigger: ".omni-label-info.alert-success:contains(ready)" },
        ].flat(),
});

registry.category("web_tour.tours").add("OmniReturnLabelTour", {
    steps: () =>
        [
            ...openScreen("Return online order"),
            {
                content: "no new tab for the PDF in the test browser",
                trigger: ".omni-return-screen",
                run: () => {
                    window.open = (url) => document.body.setAttribute("data-omni-opened", url);
                },
            },
            { trigger: ".omni-return-screen .omni-search", run: "edit tour@example.com" },
            { trigger: ".omni-return-screen .omni-search-button", run: "click" },
            { trigger: ".omni-return-order", run: "click" },
            { trigger: ".omni-return-label", run: "click" },
            { trigger: ".omni-label-info.alert-success:contains(ready)" },
            { trigger: "body[data-omni-opened^='/web/content/']" },
            screenshot("return_label"),
        ].flat(),
});
