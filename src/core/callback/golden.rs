//! Today's wire format, frozen: every string here was printed by the codec before the callback
//! tables were split per feature. Buttons already sent to phones carry these strings, so each must
//! keep parsing to the same value and encoding back to the same bytes. Never edit a string here;
//! only the Rust value on the right may follow a rename.

use super::*;
use crate::domain::profile::Condition;
use crate::domain::OrderStatus;
use crate::i18n::Lang;
use crate::store::clients::TextField;

const GOLDEN: &[(&str, Cb)] = &[
    ("c:42", Cb::Card(42)),
    ("em:42", Cb::EditMenu(42)),
    ("cm:42", Cb::Conditions(42)),
    ("dm:42", Cb::ToggleDiabetes(42)),
    ("n:42", Cb::Note(42)),
    ("k:42", Cb::Call(42)),
    ("no:42", Cb::NewOrder(42)),
    ("po:42", Cb::PickOrderClient(42)),
    ("t:42", Cb::Task(42)),
    ("td:42", Cb::TaskDone(42)),
    ("tg:42", Cb::Tags(42)),
    ("ta:42", Cb::AddTag(42)),
    ("tr:42:7", Cb::RemoveTag(42, 7)),
    ("tl:42", Cb::Timeline(42)),
    ("o:42", Cb::Order(42)),
    ("ol", Cb::Orders),
    ("tz:42:h", Cb::TaskSnooze(42, Snooze::Hour)),
    ("tz:42:d", Cb::TaskSnooze(42, Snooze::Tomorrow)),
    ("tk", Cb::Tasks),
    ("to", Cb::Today),
    ("ic:42", Cb::ImportConfirm(42)),
    ("bs", Cb::BookStart),
    ("bv:3", Cb::BookService(3)),
    ("bd:1:20261231", Cb::BookDay(1, 20261231)),
    ("bt:1:42", Cb::BookTime(1, 42)),
    ("bc:0:42", Cb::BookConfirm(0, 42)),
    ("mb", Cb::MyBookings),
    ("bx:42", Cb::BookCancel(42)),
    ("bm:42", Cb::BookMove(42)),
    ("md:42:20270101", Cb::MoveDay(42, 20270101)),
    ("mt:42:7", Cb::MoveTime(42, 7)),
    ("vo:42", Cb::VisitOk(42)),
    ("vc:42", Cb::Came(42)),
    ("vn:42", Cb::NoShow(42)),
    ("ox:42", Cb::OwnerCancel(42)),
    ("oc:42", Cb::OwnerConfirm(42)),
    ("im:42", Cb::ClaimMerge(42)),
    ("is:42", Cb::ClaimSeparate(42)),
    ("rc:1", Cb::ToggleReminderChannel(1)),
    ("ir:42", Cb::IgReply(42)),
    ("ds:42", Cb::DraftSend(42)),
    ("de:42", Cb::DraftEdit(42)),
    ("di:42", Cb::DraftIgnore(42)),
    ("dk:42", Cb::DraftSave(42)),
    ("cp:42", Cb::ChatPause(42)),
    ("wk", Cb::Week),
    ("nc", Cb::NewClient),
    ("s", Cb::Search),
    ("sk", Cb::Skip),
    ("x", Cb::Cancel),
    ("e:42:nm", Cb::Edit(42, TextField::Name)),
    ("e:42:ph", Cb::Edit(42, TextField::Phone)),
    ("e:42:em", Cb::Edit(42, TextField::Email)),
    ("e:42:ig", Cb::Edit(42, TextField::Instagram)),
    ("e:42:bd", Cb::Edit(42, TextField::BirthDate)),
    ("e:42:fl", Cb::Edit(42, TextField::FootLength)),
    ("e:42:ss", Cb::Edit(42, TextField::ShoeSize)),
    ("e:42:al", Cb::Edit(42, TextField::Allergies)),
    ("e:42:ci", Cb::Edit(42, TextField::Contraindications)),
    ("e:42:nt", Cb::Edit(42, TextField::Notes)),
    ("tc:42:flat", Cb::ToggleCondition(42, Condition::FlatFeet)),
    ("tc:42:spur", Cb::ToggleCondition(42, Condition::HeelSpur)),
    ("tc:42:hallux", Cb::ToggleCondition(42, Condition::HalluxValgus)),
    ("tc:42:fasc", Cb::ToggleCondition(42, Condition::PlantarFasciitis)),
    ("tc:42:knee", Cb::ToggleCondition(42, Condition::KneePain)),
    ("tc:42:back", Cb::ToggleCondition(42, Condition::BackPain)),
    ("os:42:new", Cb::SetStatus(42, OrderStatus::New)),
    ("os:42:prod", Cb::SetStatus(42, OrderStatus::InProduction)),
    ("os:42:ready", Cb::SetStatus(42, OrderStatus::Ready)),
    ("os:42:issued", Cb::SetStatus(42, OrderStatus::Issued)),
    ("os:42:cancel", Cb::SetStatus(42, OrderStatus::Cancelled)),
    ("l:uk", Cb::Lang(Lang::Uk)),
    ("l:en", Cb::Lang(Lang::En)),
    ("rc:0", Cb::ToggleReminderChannel(0)),
    ("bv:255", Cb::BookService(255)),
    ("bt:255:9223372036854775807", Cb::BookTime(255, i64::MAX)),
    ("bd:0:4294967295", Cb::BookDay(0, u32::MAX)),
];

#[test]
fn golden_encodings_still_parse_to_the_same_value_and_encode_back() {
    for (wire, cb) in GOLDEN {
        assert_eq!(Cb::parse(wire), Some(*cb), "{wire}");
        assert_eq!(cb.encode(), *wire, "{cb:?}");
    }
    // One string per variant at least: the list covers the whole codec.
    assert!(Cb::samples(42, 7)
        .iter()
        .all(|s| GOLDEN.iter().any(|(_, g)| std::mem::discriminant(g) == std::mem::discriminant(s))));
}
