//! Dialog state as stored today, frozen: every JSON string here was written by the code before the
//! dialogs were split per feature. Rows already in `dialogs` hold these strings, so each must keep
//! reading as the same step and writing back byte for byte. Never edit a string here.

use super::*;

fn golden() -> Vec<(&'static str, Dialog)> {
    vec![
        (r#"{"step":"search"}"#, Dialog::Client(ClientDialog::Search)),
        (r#"{"step":"new_client_name"}"#, Dialog::Client(ClientDialog::NewClientName)),
        (
            r#"{"step":"new_client_phone","name":"Ольга"}"#,
            Dialog::Client(ClientDialog::NewClientPhone { name: "Ольга".into() }),
        ),
        (
            r#"{"step":"new_client_note","name":"Ольга","phone":"+380671234567"}"#,
            Dialog::Client(ClientDialog::NewClientNote { name: "Ольга".into(), phone: "+380671234567".into() }),
        ),
        (
            r#"{"step":"edit_field","client":3,"field":"allergies"}"#,
            Dialog::Client(ClientDialog::EditField { client: 3, field: "allergies".into() }),
        ),
        (r#"{"step":"note","client":3}"#, Dialog::Client(ClientDialog::Note { client: 3 })),
        (r#"{"step":"call","client":3}"#, Dialog::Client(ClientDialog::Call { client: 3 })),
        (r#"{"step":"add_tag","client":3}"#, Dialog::Client(ClientDialog::AddTag { client: 3 })),
        (r#"{"step":"order_product","client":3}"#, Dialog::Order(OrderDialog::OrderProduct { client: 3 })),
        (
            r#"{"step":"order_price","client":3,"product":"Устілки"}"#,
            Dialog::Order(OrderDialog::OrderPrice { client: 3, product: "Устілки".into() }),
        ),
        (
            r#"{"step":"order_prepaid","client":3,"product":"Устілки","price":180000}"#,
            Dialog::Order(OrderDialog::OrderPrepaid { client: 3, product: "Устілки".into(), price: 180000 }),
        ),
        (
            r#"{"step":"order_pick_client","product":"Устілки","price":180000,"prepaid":50000}"#,
            Dialog::Order(OrderDialog::OrderPickClient {
                product: "Устілки".into(), price: 180000, prepaid: 50000
            }),
        ),
        (r#"{"step":"task","client":3}"#, Dialog::Task(TaskDialog::Task { client: Some(3) })),
        (r#"{"step":"task","client":null}"#, Dialog::Task(TaskDialog::Task { client: None })),
        (
            r#"{"step":"booking_contact","service":1,"minutes":29000000}"#,
            Dialog::Booking(BookingDialog::BookingContact { service: 1, minutes: 29000000 }),
        ),
        (r#"{"step":"cancel_reason","booking":5}"#, Dialog::Booking(BookingDialog::CancelReason { booking: 5 })),
        (r#"{"step":"owner_book_for","client":3}"#, Dialog::Booking(BookingDialog::OwnerBookFor { client: 3 })),
        (r#"{"step":"ig_reply","client":3}"#, Dialog::Instagram(InstagramDialog::IgReply { client: 3 })),
        (r#"{"step":"draft_edit","draft":9}"#, Dialog::Draft(DraftDialog::DraftEdit { draft: 9 })),
        // Issue 12: the catalogue and order editing.
        (r#"{"step":"order_edit_product","order":7}"#, Dialog::Order(OrderDialog::OrderEditProduct { order: 7 })),
        (r#"{"step":"order_edit_price","order":7}"#, Dialog::Order(OrderDialog::OrderEditPrice { order: 7 })),
        (r#"{"step":"order_edit_prepaid","order":7}"#, Dialog::Order(OrderDialog::OrderEditPrepaid { order: 7 })),
        (r#"{"step":"product_new_name"}"#, Dialog::Product(ProductDialog::ProductNewName)),
        (
            r#"{"step":"product_new_price","name":"Устілки"}"#,
            Dialog::Product(ProductDialog::ProductNewPrice { name: "Устілки".into() }),
        ),
        (r#"{"step":"product_rename","product":3}"#, Dialog::Product(ProductDialog::ProductRename { product: 3 })),
        (r#"{"step":"product_price","product":3}"#, Dialog::Product(ProductDialog::ProductPrice { product: 3 })),
        // Issue 14: payments.
        (
            r#"{"step":"pay_amount","order":7,"method":"cash"}"#,
            Dialog::Pay(PayDialog::PayAmount { order: 7, method: "cash".into() }),
        ),
        (
            r#"{"step":"pay_refund_amount","order":7,"invoice":3}"#,
            Dialog::Pay(PayDialog::PayRefundAmount { order: 7, invoice: Some(3) }),
        ),
        (
            r#"{"step":"pay_refund_confirm","order":7,"invoice":null,"kop":5000}"#,
            Dialog::Pay(PayDialog::PayRefundConfirm { order: 7, invoice: None, kop: 5000 }),
        ),
        // Issue 15: reports.
        (
            r#"{"step":"report_range","report":"sales"}"#,
            Dialog::Report(crate::core::reports::ReportDialog::ReportRange { report: "sales".into() }),
        ),
    ]
}

#[test]
fn golden_stored_dialogs_still_read_as_the_same_step_and_write_back() {
    for (json, d) in golden() {
        assert_eq!(serde_json::from_str::<Dialog>(json).unwrap(), d, "{json}");
        assert_eq!(serde_json::to_string(&d).unwrap(), json, "{d:?}");
    }
}
