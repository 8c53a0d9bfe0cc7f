//! Today's wire format, frozen: every string here was printed by the codec before the callback
//! tables were split per feature. Buttons already sent to phones carry these strings, so each must
//! keep parsing to the same value and encoding back to the same bytes. Never edit a string here;
//! only the Rust value on the right may follow a rename.

use super::*;
use crate::core::ask::AskCb;
use crate::core::booking::callback::{BookingCb, ReminderChannel};
use crate::core::booking::identity::IdentityCb;
use crate::core::card::ClientCb;
use crate::core::catalogue::ProductCb;
use crate::core::content::ContentCb;
use crate::core::drafts::DraftCb;
use crate::core::instagram::InstagramCb;
use crate::core::lifecycle::LifecycleCb;
use crate::core::marketing::MarketingCb;
use crate::core::nps::NpsCb;
use crate::core::order_edit::OrderField;
use crate::core::orders::OrderCb;
use crate::core::payments::PayCb;
use crate::core::product_life::ProductLifeCb;
use crate::core::reports::{ReportCb, ReportKind};
use crate::core::sheets::ImportCb;
use crate::core::summary::advice::AdviceKind;
use crate::core::summary::SummaryCb;
use crate::core::tasks::{Snooze, TaskCb, TaskView};
use crate::domain::cash::PayMethod;
use crate::domain::period::Preset;
use crate::domain::profile::Condition;
use crate::domain::OrderStatus;
use crate::i18n::Lang;
use crate::store::clients::TextField;

const GOLDEN: &[(&str, Cb)] = &[
    ("c:42", Cb::Client(ClientCb::Card(42))),
    ("em:42", Cb::Client(ClientCb::EditMenu(42))),
    ("cm:42", Cb::Client(ClientCb::Conditions(42))),
    ("dm:42", Cb::Client(ClientCb::ToggleDiabetes(42))),
    ("n:42", Cb::Client(ClientCb::Note(42))),
    ("k:42", Cb::Client(ClientCb::Call(42))),
    ("no:42", Cb::Order(OrderCb::NewOrder(42))),
    ("po:42", Cb::Order(OrderCb::PickClient(42))),
    ("t:42", Cb::Task(TaskCb::New(42))),
    ("td:42", Cb::Task(TaskCb::Done(42))),
    ("tg:42", Cb::Client(ClientCb::Tags(42))),
    ("ta:42", Cb::Client(ClientCb::AddTag(42))),
    ("tr:42:7", Cb::Client(ClientCb::RemoveTag(42, 7))),
    ("tl:42", Cb::Client(ClientCb::Timeline(42))),
    ("o:42", Cb::Order(OrderCb::Show(42))),
    ("ol", Cb::Order(OrderCb::List)),
    ("tz:42:h", Cb::Task(TaskCb::Snooze(42, Snooze::Hour))),
    ("tz:42:d", Cb::Task(TaskCb::Snooze(42, Snooze::Tomorrow))),
    ("tk", Cb::Task(TaskCb::List)),
    ("to", Cb::Task(TaskCb::Today)),
    ("tv:42:l", Cb::Task(TaskCb::DoneIn(42, TaskView::List))),
    ("tv:42:t", Cb::Task(TaskCb::DoneIn(42, TaskView::Today))),
    ("tu:42", Cb::Task(TaskCb::Undo(42))),
    ("tm:42", Cb::Task(TaskCb::Move(42))),
    ("tt:42", Cb::Task(TaskCb::MoveTyped(42))),
    ("ic:42", Cb::Import(ImportCb::Confirm(42))),
    ("bs", Cb::Booking(BookingCb::Start)),
    ("bv:3", Cb::Booking(BookingCb::Service(3))),
    ("bd:1:20261231", Cb::Booking(BookingCb::Day(1, 20261231))),
    ("bt:1:42", Cb::Booking(BookingCb::Time(1, 42))),
    ("bc:0:42", Cb::Booking(BookingCb::Confirm(0, 42))),
    ("mb", Cb::Booking(BookingCb::Mine)),
    ("bx:42", Cb::Booking(BookingCb::Cancel(42))),
    ("bm:42", Cb::Booking(BookingCb::Move(42))),
    ("md:42:20270101", Cb::Booking(BookingCb::MoveDay(42, 20270101))),
    ("mt:42:7", Cb::Booking(BookingCb::MoveTime(42, 7))),
    ("vo:42", Cb::Booking(BookingCb::VisitOk(42))),
    ("vc:42", Cb::Booking(BookingCb::Came(42))),
    ("vn:42", Cb::Booking(BookingCb::NoShow(42))),
    ("ox:42", Cb::Booking(BookingCb::OwnerCancel(42))),
    ("oc:42", Cb::Booking(BookingCb::OwnerConfirm(42))),
    ("im:42", Cb::Identity(IdentityCb::Merge(42))),
    ("is:42", Cb::Identity(IdentityCb::Separate(42))),
    ("rc:1", Cb::Booking(BookingCb::ToggleReminder(ReminderChannel::Email))),
    ("ir:42", Cb::Instagram(InstagramCb::Reply(42))),
    ("ds:42", Cb::Draft(DraftCb::Send(42))),
    ("de:42", Cb::Draft(DraftCb::Edit(42))),
    ("di:42", Cb::Draft(DraftCb::Ignore(42))),
    ("dk:42", Cb::Draft(DraftCb::Save(42))),
    ("cp:42", Cb::Draft(DraftCb::ChatPause(42))),
    ("wk", Cb::Booking(BookingCb::Week)),
    ("nc", Cb::Client(ClientCb::NewClient)),
    ("s", Cb::Client(ClientCb::Search)),
    ("sk", Cb::Common(CommonCb::Skip)),
    ("x", Cb::Common(CommonCb::Cancel)),
    ("e:42:nm", Cb::Client(ClientCb::Edit(42, TextField::Name))),
    ("e:42:ph", Cb::Client(ClientCb::Edit(42, TextField::Phone))),
    ("e:42:em", Cb::Client(ClientCb::Edit(42, TextField::Email))),
    ("e:42:ig", Cb::Client(ClientCb::Edit(42, TextField::Instagram))),
    ("e:42:bd", Cb::Client(ClientCb::Edit(42, TextField::BirthDate))),
    ("e:42:fl", Cb::Client(ClientCb::Edit(42, TextField::FootLength))),
    ("e:42:ss", Cb::Client(ClientCb::Edit(42, TextField::ShoeSize))),
    ("e:42:al", Cb::Client(ClientCb::Edit(42, TextField::Allergies))),
    ("e:42:ci", Cb::Client(ClientCb::Edit(42, TextField::Contraindications))),
    ("e:42:nt", Cb::Client(ClientCb::Edit(42, TextField::Notes))),
    ("tc:42:flat", Cb::Client(ClientCb::ToggleCondition(42, Condition::FlatFeet))),
    ("tc:42:spur", Cb::Client(ClientCb::ToggleCondition(42, Condition::HeelSpur))),
    ("tc:42:hallux", Cb::Client(ClientCb::ToggleCondition(42, Condition::HalluxValgus))),
    ("tc:42:fasc", Cb::Client(ClientCb::ToggleCondition(42, Condition::PlantarFasciitis))),
    ("tc:42:knee", Cb::Client(ClientCb::ToggleCondition(42, Condition::KneePain))),
    ("tc:42:back", Cb::Client(ClientCb::ToggleCondition(42, Condition::BackPain))),
    ("os:42:new", Cb::Order(OrderCb::SetStatus(42, OrderStatus::New))),
    ("os:42:prod", Cb::Order(OrderCb::SetStatus(42, OrderStatus::InProduction))),
    ("os:42:ready", Cb::Order(OrderCb::SetStatus(42, OrderStatus::Ready))),
    ("os:42:issued", Cb::Order(OrderCb::SetStatus(42, OrderStatus::Issued))),
    ("os:42:cancel", Cb::Order(OrderCb::SetStatus(42, OrderStatus::Cancelled))),
    ("l:uk", Cb::Common(CommonCb::Lang(Lang::Uk))),
    ("l:en", Cb::Common(CommonCb::Lang(Lang::En))),
    ("rc:0", Cb::Booking(BookingCb::ToggleReminder(ReminderChannel::Sms))),
    ("hx:20261231:20270102", Cb::Booking(BookingCb::RemoveDaysOff(20261231, 20270102))),
    ("bv:255", Cb::Booking(BookingCb::Service(255))),
    ("bt:255:9223372036854775807", Cb::Booking(BookingCb::Time(255, i64::MAX))),
    ("bd:0:4294967295", Cb::Booking(BookingCb::Day(0, u32::MAX))),
    ("jm:42", Cb::Lifecycle(LifecycleCb::Merge(42))),
    ("jp:42:7", Cb::Lifecycle(LifecycleCb::MergePick(42, 7))),
    ("jd:42:7", Cb::Lifecycle(LifecycleCb::MergeDo(42, 7))),
    ("fg:42", Cb::Lifecycle(LifecycleCb::Delete(42))),
    ("fd:42", Cb::Lifecycle(LifecycleCb::DeleteDo(42))),
    // Issue 12: the catalogue and order editing.
    ("onp:42:3", Cb::Order(OrderCb::FromProduct(42, 3))),
    ("onx:42", Cb::Order(OrderCb::OtherProduct(42))),
    ("oed:42:p", Cb::Order(OrderCb::Edit(42, OrderField::Product))),
    ("oed:42:c", Cb::Order(OrderCb::Edit(42, OrderField::Price))),
    ("oed:42:d", Cb::Order(OrderCb::Edit(42, OrderField::Prepaid))),
    ("oep:42:3", Cb::Order(OrderCb::SetProduct(42, 3))),
    ("oun:42", Cb::Order(OrderCb::Undo(42))),
    ("ouf:42:ready", Cb::Order(OrderCb::UndoFrom(42, OrderStatus::Ready))),
    ("orp:42", Cb::Order(OrderCb::Reopen(42))),
    ("ocl:42", Cb::Order(OrderCb::ClientOrders(42))),
    ("pcl", Cb::Product(ProductCb::List)),
    ("pca", Cb::Product(ProductCb::Add)),
    ("pco:3", Cb::Product(ProductCb::Open(3))),
    ("pcn:3", Cb::Product(ProductCb::Rename(3))),
    ("pcp:3", Cb::Product(ProductCb::Price(3))),
    ("pct:3", Cb::Product(ProductCb::Toggle(3))),
    ("pch:3", Cb::Product(ProductCb::Hide(3))),
    ("pcs:3", Cb::Product(ProductCb::Unhide(3))),
    // visits on the card (issue 12)
    ("ovm:42:1", Cb::Booking(BookingCb::OwnerMove(42, 1))),
    ("ovd:42:20270101", Cb::Booking(BookingCb::OwnerMoveDay(42, 20270101))),
    ("ovt:42:7", Cb::Booking(BookingCb::OwnerMoveTime(42, 7))),
    ("ovb:1:2", Cb::Booking(BookingCb::OwnerDays(1, 2))),
    // payments and the cash book (issue 14)
    ("ym:42", Cb::Pay(PayCb::Menu(42))),
    ("ylf:42", Cb::Pay(PayCb::LinkFull(42))),
    ("ylp:42", Cb::Pay(PayCb::LinkPrepay(42))),
    ("yt:42:cash", Cb::Pay(PayCb::Take(42, PayMethod::Cash))),
    ("yt:42:terminal", Cb::Pay(PayCb::Take(42, PayMethod::Terminal))),
    ("ytd:42:cash", Cb::Pay(PayCb::TakeDue(42, PayMethod::Cash))),
    ("yu:7", Cb::Pay(PayCb::Undo(7))),
    ("yr:42", Cb::Pay(PayCb::Refund(42))),
    ("yrf:3", Cb::Pay(PayCb::RefundFull(3))),
    ("yrp:3", Cb::Pay(PayCb::RefundPart(3))),
    ("yrc:42", Cb::Pay(PayCb::RefundCash(42))),
    ("yrd:42", Cb::Pay(PayCb::RefundDo(42))),
    ("yf:d", Cb::Pay(PayCb::Finance(Preset::Today))),
    ("yf:w", Cb::Pay(PayCb::Finance(Preset::Week))),
    ("yf:m", Cb::Pay(PayCb::Finance(Preset::Month))),
    ("yf:pm", Cb::Pay(PayCb::Finance(Preset::LastMonth))),
    ("yx:20261101:20261130", Cb::Pay(PayCb::Export(20261101, 20261130))),
    ("yo", Cb::Pay(PayCb::Owed)),
    ("yok:7", Cb::Pay(PayCb::ReceiptDone(7))),
    // reports (issue 15)
    ("rpm", Cb::Report(ReportCb::Menu)),
    ("rp:sales:m", Cb::Report(ReportCb::Show(ReportKind::Sales, Preset::Month))),
    ("rp:mkt:d", Cb::Report(ReportCb::Show(ReportKind::Marketing, Preset::Today))),
    ("rp:cust:w", Cb::Report(ReportCb::Show(ReportKind::Customers, Preset::Week))),
    ("rp:fin:m", Cb::Report(ReportCb::Show(ReportKind::Finance, Preset::Month))),
    ("rp:ops:m", Cb::Report(ReportCb::Show(ReportKind::Operations, Preset::Month))),
    ("rp:ai:m", Cb::Report(ReportCb::Show(ReportKind::Ai, Preset::Month))),
    ("rpc:sales", Cb::Report(ReportCb::Custom(ReportKind::Sales))),
    ("rpd", Cb::Report(ReportCb::Dashboard)),
    ("av", Cb::Summary(SummaryCb::Advice)),
    ("aa:r", Cb::Summary(SummaryCb::Act(AdviceKind::Replacement))),
    ("aa:d", Cb::Summary(SummaryCb::Act(AdviceKind::Diagnostics))),
    ("aa:e", Cb::Summary(SummaryCb::Act(AdviceKind::Escalations))),
    ("aa:t", Cb::Summary(SummaryCb::Act(AdviceKind::OverdueTasks))),
    ("aa:n", Cb::Summary(SummaryCb::Act(AdviceKind::NoShows))),
    ("ls:42", Cb::ProductLife(ProductLifeCb::Stop(42))),
    ("ns:42:0", Cb::Nps(NpsCb::Score(42, 0))),
    ("ns:42:10", Cb::Nps(NpsCb::Score(42, 10))),
    ("mc:42", Cb::Marketing(MarketingCb::Consent(42))),
    ("cpt:42", Cb::Marketing(MarketingCb::Test(42))),
    ("cps:42", Cb::Marketing(MarketingCb::Send(42))),
    ("cpc:42", Cb::Marketing(MarketingCb::Confirm(42))),
    // attribution and referrals (issue 16)
    ("rf:42", Cb::Client(ClientCb::Referral(42))),
    // Issue 17: the plain-language confirmation card and its "did you mean" commands.
    ("aky:42", Cb::Ask(AskCb::Confirm(42))),
    ("akn:42", Cb::Ask(AskCb::Reject(42))),
    ("akc:5", Cb::Ask(AskCb::Command(5))),
    // Issue 16, Content: the post card and the content plan.
    ("qa:42", Cb::Content(ContentCb::Approve(42))),
    ("qv:42", Cb::Content(ContentCb::Variant(42))),
    ("qs:42", Cb::Content(ContentCb::Schedule(42))),
    ("qx:42", Cb::Content(ContentCb::Discard(42))),
    ("qd:42:20261212", Cb::Content(ContentCb::Day(42, 20261212))),
    ("qp:42", Cb::Content(ContentCb::Published(42))),
    ("ql", Cb::Content(ContentCb::Plan)),
    ("qo:42", Cb::Content(ContentCb::Open(42))),
    ("qt:2", Cb::Content(ContentCb::Topic(2))),
];

#[test]
fn golden_encodings_still_parse_to_the_same_value_and_encode_back() {
    for (wire, cb) in GOLDEN {
        assert_eq!(Cb::parse(wire), Some(*cb), "{wire}");
        assert_eq!(cb.encode(), *wire, "{cb:?}");
    }
    // A string for every button the codec knows: the list covers the whole codec.
    for (feature, prefix) in Cb::prefixes() {
        assert!(GOLDEN.iter().any(|(wire, _)| wire.split(':').next() == Some(prefix)), "{feature}: {prefix}");
    }
}
