//! Dashboard charts drawn on the server as inline SVG: no JavaScript, no CDN, they print, and a
//! screen reader gets the same figures from the table that follows each chart.

use std::fmt::Write;

use crate::format::num;

/// Text placed inside SVG: the same escaping as HTML text.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Shortens a label to `max` characters (Hangul counts as one) with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

/// One horizontal bar pair per row: the target as an outline, the actual as a filled bar.
/// `rows` are (label, target, actual). `title` names the chart for assistive technology.
pub fn plan_vs_actual(title: &str, rows: &[(String, i64, i64)], target_word: &str) -> String {
    const W: i64 = 560;
    const LABEL: i64 = 130;
    const ROW: i64 = 30;
    let max = rows.iter().map(|r| r.1.max(r.2)).max().unwrap_or(0).max(1);
    let h = ROW * rows.len() as i64 + 8;
    // Room on the right for the widest value text ("1,234 / 목표 1,200 (103%)").
    let scale = |v: i64| (v.max(0) * (W - LABEL - 160)) / max;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {h}" width="100%" role="img" aria-label="{t}" preserveAspectRatio="xMinYMin meet"><title>{t}</title>"#,
        t = esc(title)
    );
    for (i, (label, target, actual)) in rows.iter().enumerate() {
        let y = i as i64 * ROW + 4;
        let pct = if *target > 0 { actual * 100 / target } else { 0 };
        let class = if *target > 0 && actual >= target { "bar ok" } else { "bar" };
        let _ = write!(
            s,
            r#"<text class="label" x="0" y="{ty}">{l}</text><rect class="target" x="{LABEL}" y="{y}" width="{tw}" height="20" rx="3"/><rect class="{class}" x="{LABEL}" y="{y2}" width="{aw}" height="12" rx="2"/><text class="value" x="{vx}" y="{ty}">{a} / {tg}{pc}</text>"#,
            ty = y + 15,
            l = esc(&clip(label, 9)),
            tw = scale(*target).max(1),
            y2 = y + 4,
            aw = scale(*actual),
            vx = LABEL + scale((*target).max(*actual)) + 8,
            a = num(*actual),
            tg = if *target > 0 { format!("{target_word} {}", num(*target)) } else { "-".into() },
            pc = if *target > 0 { format!(" ({pct}%)") } else { String::new() },
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars per month with the value above each bar. `points` are (label, value).
pub fn monthly_bars(title: &str, points: &[(String, i64)]) -> String {
    const H: i64 = 180;
    const BASE: i64 = 150;
    const SLOT: i64 = 52;
    let w = (SLOT * points.len() as i64).max(SLOT);
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {H}" width="100%" role="img" aria-label="{t}" preserveAspectRatio="xMinYMin meet"><title>{t}</title><line class="axis" x1="0" y1="{BASE}" x2="{w}" y2="{BASE}"/>"#,
        t = esc(title)
    );
    for (i, (label, v)) in points.iter().enumerate() {
        let bh = (v.max(&0) * (BASE - 24)) / max;
        let x = i as i64 * SLOT + 10;
        let _ = write!(
            s,
            r#"<rect class="bar" x="{x}" y="{y}" width="32" height="{bh}" rx="2"/><text class="value" x="{cx}" y="{vy}" text-anchor="middle">{v}</text><text class="label" x="{cx}" y="{ly}" text-anchor="middle">{l}</text>"#,
            y = BASE - bh,
            cx = x + 16,
            vy = BASE - bh - 6,
            v = num(*v),
            ly = BASE + 20,
            l = esc(label),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_values_grouped() {
        let svg = plan_vs_actual("계획 대비 실적", &[("<b>&".into(), 1200, 1500)], "목표");
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(svg.contains("1,500 / 목표 1,200 (125%)"));
        assert!(svg.contains(r#"class="bar ok""#), "target met");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn empty_and_zero_data_draw_without_dividing_by_zero() {
        assert!(plan_vs_actual("t", &[], "목표").contains("</svg>"));
        let svg = monthly_bars("t", &[("1월".into(), 0), ("2월".into(), 0)]);
        assert!(svg.contains(r#"height="0""#));
        let svg = monthly_bars("t", &[("1월".into(), 10), ("2월".into(), 5)]);
        assert!(svg.contains(">10<") && svg.contains(">5<"));
    }

    #[test]
    fn long_names_are_clipped() {
        assert_eq!(clip("아버지교육 '아빠와 함께' 특별과정", 12), "아버지교육 '아빠와 …");
        assert_eq!(clip("짧은 이름", 12), "짧은 이름");
    }
}
