//! `insoles-crm bench import`: a 50,000-row client list as .xlsx, imported by the real binary
//! (`import clients FILE --stats`), reporting time and peak resident memory.

use super::TempDir;
use anyhow::Context;
use rust_xlsxwriter::Workbook;
use std::time::Instant;

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let rows: usize = match args {
        [flag, n] if flag == "--rows" => n.parse().context("--rows needs a number")?,
        [] => 50_000,
        _ => anyhow::bail!("usage: insoles-crm bench import [--rows N]"),
    };
    let dir = TempDir::new("import")?;
    let file = dir.0.join("clients.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["ПІБ", "Телефон", "Примітка", "Дата народження", "Теги"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for i in 0..rows {
        let r = i as u32 + 1;
        ws.write_string(r, 0, format!("Клієнтка Номер{i} Тестова"))?;
        ws.write_string(r, 1, format!("067{:07}", i))?;
        if i % 3 == 0 {
            ws.write_string(r, 2, "Прийшла з Instagram, болить п'ята")?;
        }
        ws.write_string(r, 3, format!("{:02}.{:02}.19{}", 1 + i % 28, 1 + i % 12, 50 + i % 50))?;
        if i % 10 == 0 {
            ws.write_string(r, 4, "vip, instagram")?;
        }
    }
    wb.save(&file)?;
    let size = std::fs::metadata(&file)?.len();
    let t = Instant::now();
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["import", "clients"])
        .arg(&file)
        .arg("--stats")
        .env("DATABASE_URL", format!("sqlite://{}", dir.0.join("import.db").display()))
        .env("CONFIG_DIR", &dir.0)
        .env("RUST_LOG", "warn")
        .output()?;
    let wall = t.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
    let stats = stdout.lines().find(|l| l.starts_with("stats:")).unwrap_or("stats: (missing)");
    let done = stdout.lines().find(|l| l.contains('✅') && l.contains(':') && l.contains("Імпортовано")).unwrap_or("");
    println!("\nImport of {rows} rows ({:.1} MB .xlsx) by the real binary:", size as f64 / 1e6);
    println!("  wall time {:.2} s; {stats}", wall.as_secs_f64());
    println!("  {done}");
    Ok(())
}
