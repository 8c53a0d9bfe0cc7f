//! Excel in and out: preview and one-tap import in Telegram, refusals that change nothing, the
//! export workbook, and the same from the command line.

use crate::helpers::*;
use calamine::Reader;
use insoles_crm::fake_telegram::updates;
use rust_xlsxwriter::Workbook;
use std::process::Command;

fn client_list() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let rows: [[&str; 5]; 7] = [
        ["ПІБ", "Телефон", "Примітка", "Дата народження", "Теги"],
        ["Оксана Гнатюк", "", "прийшла з Instagram", "12.03.1985", "vip, instagram"],
        ["Ірина Шевчук", "+38 (050) 111-22-33", "", "", ""],
        ["Ірина Шевчук (дубль)", "0501112233", "", "", ""],
        ["Марія Бондар", "0671119999", "", "", ""],
        ["Олег Бойко", "0931112233", "", "31.02.2025", ""],
        ["", "0661112233", "без імені", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    // Excel drops the leading zero of a phone typed as a number.
    ws.write_number(1, 1, 671234567.0).unwrap();
    wb.save_to_buffer().unwrap()
}

async fn send_file(app: &TestApp, user: i64, name: &str, bytes: Vec<u8>) -> Vec<insoles_crm::fake_telegram::Call> {
    let id = format!("f{}", app.next_update_id());
    let size = bytes.len() as u64;
    app.fake.add_file(&id, bytes);
    app.update(updates::document(app.next_update_id(), user, &id, name, size)).await
}

#[tokio::test]
async fn spreadsheet_preview_then_one_tap_import() {
    let app = TestApp::spawn().await;
    app.text("/new_client Марія Бондар, 0671119999").await;
    let preview = send_file(&app, OWNER, "клієнти.xlsx", client_list()).await;
    let text = reply_text(&preview);
    for expected in [
        "клієнти.xlsx: прочитано рядків — 6",
        "ПІБ → Ім'я",
        "Телефон → Телефон",
        "Готові до імпорту: 3",
        "рядок 4: той самий телефон, що в рядку 3",
        "рядок 5: вже є в базі: Марія Бондар",
        "рядок 6: дата «31.02.2025» неможлива",
        "рядок 7: немає імені",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert_eq!(app.core.store().client_count().await.unwrap(), 1, "a preview changes nothing");

    // Row 6's impossible birth date is dropped with a warning; the row itself is imported.
    let import = button(&preview, "Імпортувати 3");
    let done = app.press(&import).await;
    assert!(reply_text(&done).contains("Імпортовано клієнтів: 3"), "{}", reply_text(&done));
    assert_eq!(app.core.store().client_count().await.unwrap(), 4);
    let card = reply_text(&app.text("/client #vip").await);
    assert!(
        card.contains("Оксана Гнатюк") && card.contains("+380 67 123 45 67") && card.contains("12.03.1985"),
        "{card}"
    );
    assert!(card.contains("прийшла з Instagram"));

    // A second tap imports nothing twice.
    let again = app.press(&import).await;
    assert!(again.last().unwrap().body["text"].as_str().unwrap().contains("застаріла"));
    assert_eq!(app.core.store().client_count().await.unwrap(), 4);
}

#[tokio::test]
async fn bad_files_get_a_reason_and_change_nothing() {
    let app = TestApp::spawn().await;
    app.text("/new_client Тарас Дячук, 0681234567").await;
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("ФИО;Телефон;Примечание\nСемён Романюк;0971234567;з Viber\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("scan.pdf", b"%PDF-1.7 binary".to_vec(), "Це не таблиця"),
        ("broken.xlsx", b"PK\x03\x04this is not a real zip archive".to_vec(), "пошкоджений"),
        ("photo.xlsx", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "Це не таблиця"),
        ("colors.csv", "Колір;Розмір ноги\nсиній;39\n".as_bytes().to_vec(), "Не знайшла колонки"),
        ("empty.csv", b"\n\n".to_vec(), "немає даних"),
        ("excel-1251.csv", cp1251.into_owned(), "Готові до імпорту: 1"),
    ];
    for (name, bytes, expected) in cases {
        let text = reply_text(&send_file(&app, OWNER, name, bytes).await);
        assert!(text.contains(expected), "{name}: {text}");
    }
    // A 30 MB file is refused from its announced size, without downloading it.
    let before = app.fake.calls_to("getFile").len();
    let big = app.update(updates::document(app.next_update_id(), OWNER, "huge", "huge.xlsx", 30 * 1024 * 1024)).await;
    assert!(reply_text(&big).contains("завеликий"), "{}", reply_text(&big));
    assert_eq!(app.fake.calls_to("getFile").len(), before);
    // A stranger's file is never downloaded.
    let stranger = send_file(&app, STRANGER, "clients.xlsx", client_list()).await;
    assert!(reply_text(&stranger).contains("Дякуємо"));
    assert_eq!(app.fake.calls_to("getFile").len(), before);
    assert_eq!(app.core.store().client_count().await.unwrap(), 1);
}

#[tokio::test]
async fn export_sends_a_workbook_that_reads_back() {
    let app = TestApp::spawn().await;
    app.text("/new_client Наталія Хомич, 0671234500, любить бігати").await;
    app.text("/new_order 0671234500, Устілки спортивні, 2100").await;
    let calls = app.text("/export").await;
    assert!(reply_text(&calls).contains("Вивантаження: 1 клієнт,"), "{}", reply_text(&calls));
    let doc =
        app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.method.eq_ignore_ascii_case("sendDocument"))).await.unwrap();
    let doc = doc.iter().find(|c| c.method.eq_ignore_ascii_case("sendDocument")).unwrap();
    let (_, name, bytes) = &doc.files[0];
    assert!(name.ends_with(".xlsx"));
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), vec!["Клієнти", "Замовлення", "Історія", "Записи", "Завдання"]);
    let clients = book.worksheet_range("Клієнти").unwrap();
    assert_eq!(clients.get((0, 1)).unwrap().to_string(), "ПІБ");
    assert_eq!(clients.get((1, 1)).unwrap().to_string(), "Наталія Хомич");
    let orders = book.worksheet_range("Замовлення").unwrap();
    assert_eq!(orders.get((1, 3)).unwrap().to_string(), "Устілки спортивні");
    assert_eq!(orders.get((1, 4)).unwrap().to_string(), "2100");
}

#[test]
fn command_line_import_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clients.xlsx");
    std::fs::write(&file, client_list()).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_insoles-crm"))
            .args(args)
            .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("crm.db").display()))
            .env("CONFIG_DIR", dir.path())
            .env("LANG", "uk_UA.UTF-8")
            .output()
            .unwrap()
    };
    let dry = run(&["import", "clients", file.to_str().unwrap(), "--dry-run"]);
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(out.contains("Готові до імпорту: 4") && !out.contains("Імпортовано"), "{out}");

    let real = run(&["import", "clients", file.to_str().unwrap(), "--stats"]);
    let out = String::from_utf8_lossy(&real.stdout);
    assert!(out.contains("Імпортовано клієнтів: 4") && out.contains("stats: 6 rows"), "{out}");
    let again = run(&["import", "clients", file.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("Готові до імпорту: 0"),
        "second run finds them all as duplicates"
    );

    let bad = dir.path().join("notes.pdf");
    std::fs::write(&bad, b"%PDF-1.4").unwrap();
    let refused = run(&["import", "clients", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Це не таблиця"));

    let out_file = dir.path().join("out.xlsx");
    let export = run(&["export", out_file.to_str().unwrap()]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let mut book = calamine::open_workbook_auto(&out_file).unwrap();
    assert_eq!(book.worksheet_range("Клієнти").unwrap().height(), 5);
}
