//! `insoles-crm bench`: placeholder replaced below.
pub async fn run(_args: &[String]) -> anyhow::Result<()> {
    Ok(())
}
