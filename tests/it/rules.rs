//! The form's own rules (issue 5): conditional rows, the one-year rule, dates, characters and the
//! seal — each with a passing and a failing case.

use crate::common;

use common::*;
use secform::layout::document::Element;
use secform::{Charset, CheckOptions, Problem, Severity};
use serde_json::{json, Value};

/// The main-contractor sample trimmed to what every rule below starts from: rows that always apply
/// answered, no ※ row answered, a first check (no previous_check).
fn base() -> Value {
    let mut v = sample("main-contractor.json");
    let items = v["items"].as_object_mut().unwrap();
    for n in [2, 8, 11, 13, 14, 17, 19, 20, 21, 22, 23, 25, 26] {
        items.remove(&n.to_string());
    }
    items.insert(
        "1".into(),
        json!({"status": "実施", "detail": "本契約の業務はすべて自社で行っている。"}),
    );
    v["target"]
        .as_object_mut()
        .unwrap()
        .remove("previous_check");
    v
}

/// The layout's question for a circumstance, as `check`'s messages quote it.
fn question(name: &str) -> String {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    secform::spec::questions::question(form, name).unwrap().text
}

fn problems_with(v: &Value, opts: &CheckOptions) -> Vec<Problem> {
    renderer().check(&v.to_string(), opts)
}

fn problems(v: &Value) -> Vec<Problem> {
    problems_with(v, &opts())
}

fn errors_at(v: &Value, path: &str) -> Vec<String> {
    problems(v)
        .into_iter()
        .filter(|p| p.severity == Severity::Error && p.path == path)
        .map(|p| p.message)
        .collect()
}

fn assert_clean(v: &Value) {
    let errors: Vec<Problem> = problems(v).into_iter().filter(Problem::is_error).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
}

fn set(v: &mut Value, row: u32, status: &str, detail: &str) {
    v["items"][row.to_string()] = json!({"status": status, "detail": detail});
}

#[test]
fn the_base_answer_set_is_clean() {
    assert_clean(&base());
}

#[test]
fn an_unconditional_row_left_unanswered_is_an_error() {
    let mut v = base();
    v["items"].as_object_mut().unwrap().remove("5");
    assert!(errors_at(&v, "items.5")[0].contains("回答がありません"));
}

#[test]
fn row_2_applies_only_when_row_1_is_not_done() {
    let mut v = base();
    set(&mut v, 2, "実施", "許可を得た。");
    assert!(
        errors_at(&v, "items.2")[0].contains("該当しません"),
        "row 1 is 実施"
    );
    set(&mut v, 1, "未実施", "一部を下請負させている。");
    assert_clean(&v);
    v["items"].as_object_mut().unwrap().remove("2");
    assert!(errors_at(&v, "items.2")[0].contains("該当します"));
}

#[test]
fn row_11_applies_when_row_9_or_row_10_is_not_done() {
    let mut v = base();
    set(&mut v, 11, "実施", "許可を得た。");
    assert!(!errors_at(&v, "items.11").is_empty(), "9 and 10 are 実施");
    set(&mut v, 10, "未実施", "離職者の措置が未了。");
    assert_clean(&v);
    set(&mut v, 10, "実施", "措置を講じた。");
    set(&mut v, 9, "未実施", "開示の事実を確認中。");
    assert_clean(&v);
    v["items"].as_object_mut().unwrap().remove("11");
    assert!(errors_at(&v, "items.11")[0].contains("該当します"));
}

#[test]
fn circumstances_make_their_rows_required_or_not_applicable() {
    let cases: [(&str, &[u32]); 5] = [
        ("onsite", &[13, 14]),
        ("disposal_requested", &[17]),
        ("return_requested", &[19]),
        ("information_system", &[20, 21, 22]),
        ("incident", &[25, 26]),
    ];
    for (flag, rows) in cases {
        let mut v = base();
        v["circumstances"] = json!({ flag: true });
        for &r in rows {
            assert!(
                errors_at(&v, &format!("items.{r}"))[0]
                    .contains(&format!("「{}」への回答が「はい」です", question(flag))),
                "{flag}: row {r} must be required"
            );
        }
        for &r in rows {
            set(&mut v, r, "実施", "対応した。");
        }
        assert_clean(&v);
        v["circumstances"] = json!({ flag: false });
        for &r in rows {
            let errors = errors_at(&v, &format!("items.{r}"));
            // The user's words: the question and her いいえ, not the JSON's false.
            assert!(
                errors[0].contains(&format!("「{}」への回答が「いいえ」です", question(flag))),
                "{flag}=false: row {r} must be blank: {errors:?}"
            );
            assert!(!errors[0].contains("false"), "{errors:?}");
        }
        // Without circumstances an answered ※ row is taken as applicable.
        v.as_object_mut().unwrap().remove("circumstances");
        assert_clean(&v);
    }
}

#[test]
fn rows_that_do_not_apply_print_their_marks() {
    let mut v = base();
    v["circumstances"] = json!({"incident": false, "onsite": false});
    let a = secform::input::answers::from_value(&v).unwrap();
    let doc = renderer().form_document(&a, &opts()).unwrap().document;
    let marks = doc
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .filter(|t| t.line.text == "※")
        .count();
    // Every ※ row of the seed is blank here: two marks each.
    assert_eq!(marks, 2 * seed_rows().iter().filter(|r| r.2).count());
}

#[test]
fn row_23_follows_the_previous_check_and_the_one_year_rule() {
    let mut v = base();
    set(&mut v, 23, "実施", "6か月");
    assert!(
        errors_at(&v, "items.23")[0].contains("初回の確認"),
        "first check: row 23 must be blank"
    );
    v["target"]["previous_check"] = json!("2025-10-01");
    v["items"].as_object_mut().unwrap().remove("23");
    assert!(errors_at(&v, "items.23")[0].contains("2回目以降"));
    set(&mut v, 23, "実施", "前回確認から6か月");
    assert_clean(&v);

    // A year or more: 実施 is an error that names both dates and the interval.
    v["target"]["previous_check"] = json!("2025-04-01");
    let msg = errors_at(&v, "items.23.status").join("");
    for part in ["令和7年4月1日", "令和8年4月10日", "1年"] {
        assert!(msg.contains(part), "{part} missing from: {msg}");
    }
    set(&mut v, 23, "未実施", "前回確認から1年以上経過した。");
    assert_clean(&v);
}

#[test]
fn status_auto_fills_row_23_from_the_dates() {
    let mut v = base();
    v["target"]["previous_check"] = json!("2025-10-01");
    v["items"]["23"] = json!({"status": "auto"});
    let lines: Vec<String> = pdf_pages(&render(&v)).concat();
    let at = lines
        .iter()
        .position(|l| l == "前回確認（令和7年10月1日）から6か月")
        .expect("auto detail printed");
    assert!(
        lines[..at].iter().rev().take(4).any(|l| l == "実施"),
        "{:?}",
        &lines[at - 4..=at]
    );

    v["target"]["contract_start"] = json!("2025-01-06");
    v["target"]["previous_check"] = json!("2025-03-01");
    let lines: Vec<String> = pdf_pages(&render(&v)).concat();
    // Past the year the reason says so, from the layout's `passed_detail`, not the bare interval.
    assert!(
        printed(
            &lines,
            "前回確認（令和7年3月1日）から1年を超えたため（1年1か月9日経過）"
        ),
        "{lines:?}"
    );
    let at = lines
        .iter()
        .position(|l| l.starts_with("前回確認（令和7年3月1日）から"))
        .expect("auto detail printed");
    assert!(lines[..at].iter().rev().take(4).any(|l| l == "未実施"));

    set(&mut v, 5, "auto", "");
    assert!(errors_at(&v, "items.5.status")[0].contains("auto"));
}

/// `"status": "auto"` that comes out 未実施 is a warning (exit 0), saying what will be printed and
/// why, in the layout's words; within the year it says nothing.
#[test]
fn status_auto_that_comes_out_not_done_is_a_warning_with_the_reason() {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let rule = form.row(23).unwrap().one_year_rule.as_ref().unwrap();
    assert!(rule.passed_detail.contains("1年を超えたため"));
    let mut v = base();
    v["target"]["contract_start"] = json!("2025-01-06");
    v["target"]["previous_check"] = json!("2025-03-01");
    v["items"]["23"] = json!({"status": "auto"});
    let warnings: Vec<Problem> = problems(&v)
        .into_iter()
        .filter(|p| p.path == "items.23.status")
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(
        warnings[0].message,
        "「自動」（\"auto\"）により「未実施」と印字します：前回確認（令和7年3月1日）から1年を超えたため（1年1か月9日経過）"
    );
    assert_clean(&v);

    v["target"]["previous_check"] = json!("2025-10-01");
    assert!(
        problems(&v).iter().all(|p| p.path != "items.23.status"),
        "within the year: {:?}",
        problems(&v)
    );
}

/// `auto` on a row the dates do not decide is an error there, and the rows that depend on it wait,
/// as for a misspelt status: row 2 (which applies when row 1 is 未実施) is not judged on it.
#[test]
fn status_auto_elsewhere_leaves_its_dependent_rows_unjudged() {
    let mut v = base();
    set(&mut v, 1, "auto", "");
    set(&mut v, 2, "実施", "下請負者等の確認を行った。");
    let all = problems(&v);
    let paths: Vec<&str> = all.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["items.1.status"], "{all:?}");
    assert!(all[0].message.contains("auto"), "{all:?}");
}

#[test]
fn dates_must_be_in_order_and_a_future_check_is_a_warning() {
    let mut v = base();
    v["target"]["previous_check"] = json!("2025-03-01");
    let msg = errors_at(&v, "target.previous_check").join("");
    assert!(
        msg.contains("契約開始年月日（令和7年4月1日）")
            && msg.contains("令和7年3月1日")
            && !msg.contains("target."),
        "{msg}"
    );
    v["target"]["previous_check"] = json!("2026-05-01");
    let msg = errors_at(&v, "checked_on").join("");
    assert!(msg.contains("前回確認実施年月日（令和8年5月1日）"), "{msg}");

    let mut v = base();
    v["checked_on"] = json!("2027-01-05");
    let ps = problems(&v);
    assert!(ps.iter().all(|p| !p.is_error()), "{ps:#?}");
    let w = ps
        .iter()
        .find(|p| p.path == "checked_on")
        .expect("future warning");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("未来"));
}

#[test]
fn wareki_dates_are_accepted_in_every_documented_form() {
    for (written, expected) in [
        ("令和7年4月1日", "(3) 契約開始年月日：令和7年4月1日"),
        ("令和元年5月1日", "(3) 契約開始年月日：令和元年5月1日"),
        ("R7.4.1", "(3) 契約開始年月日：令和7年4月1日"),
        ("平成31年4月30日", "(3) 契約開始年月日：平成31年4月30日"),
    ] {
        let mut v = base();
        v["target"]["contract_start"] = json!(written);
        let lines: Vec<String> = pdf_pages(&render(&v)).concat();
        assert!(printed(&lines, expected), "{written}");
    }
    for impossible in [
        "平成32年1月1日",
        "令和1年4月1日",
        "2025-02-30",
        "令和7年2月30日",
    ] {
        let mut v = base();
        v["target"]["contract_start"] = json!(impossible);
        assert!(
            !errors_at(&v, "target.contract_start").is_empty(),
            "{impossible} accepted"
        );
    }
}

#[test]
fn charset_jis0208_reports_field_position_and_code_point() {
    let mut v = base();
    v["target"]["company"] = json!("㈱髙橋商店");
    v["checker"]["name"] = json!("山﨑 ①郎");
    v["items"]["3"]["detail"] = json!("ｶﾀｶﾅ");
    let jis = CheckOptions {
        charset: Charset::Jis0208,
        ..opts()
    };
    let ps = problems_with(&v, &jis);
    let find = |path: &str, needle: &str| {
        ps.iter()
            .any(|p| p.path == path && p.is_error() && p.message.contains(needle))
    };
    assert!(
        find("target.company", "1 文字目の「㈱」（U+3231）"),
        "{ps:#?}"
    );
    assert!(find("target.company", "2 文字目の「髙」（U+9AD9）"));
    assert!(find("checker.name", "2 文字目の「﨑」（U+FA11）"));
    assert!(find("checker.name", "4 文字目の「①」（U+2460）"));
    assert!(find("items.3.detail", "1 文字目の「ｶ」（U+FF76）"));
    // Without the option the same answers are fine (the font has them all).
    assert!(problems(&v).iter().all(|p| !p.is_error()));
    // --fix-kana makes half-width katakana full-width before the check and in the output.
    v["target"]["company"] = json!("株式会社ｻﾝﾌﾟﾙ");
    v["checker"]["name"] = json!("山田 太郎");
    v["items"]["3"]["detail"] = json!("ﾃｽﾄ済み");
    let fixed = CheckOptions {
        fix_kana: true,
        ..jis.clone()
    };
    assert!(
        problems_with(&v, &fixed).iter().all(|p| !p.is_error()),
        "{:#?}",
        problems_with(&v, &fixed)
    );
    let a = secform::input::answers::from_value(&v).unwrap();
    let doc = renderer().form_document(&a, &fixed).unwrap().document;
    let text = doc.text();
    assert!(
        text.contains("(1) 事業者名：株式会社サンプル") && text.contains("テスト済み"),
        "{text}"
    );
}

fn seal_doc(seal: Value) -> Result<secform::layout::document::Document, secform::Error> {
    let mut v = base();
    v["seal"] = seal;
    let a = secform::input::answers::from_value(&v).unwrap();
    let o = CheckOptions {
        seal_files: secform::files::SealFolder::shared(root().join("tests/fixtures")),
        ..opts()
    };
    renderer().form_document(&a, &o).map(|r| r.document)
}

#[test]
fn the_seal_image_is_centred_on_in_and_stays_inside_its_box() {
    for (file, aspect) in [("seal.png", 1.0), ("seal-wide.jpg", 2.0)] {
        let doc = seal_doc(json!({"image": file})).unwrap();
        let page = doc
            .pages
            .iter()
            .find(|p| p.texts().any(|t| t.line.text == "印"))
            .unwrap();
        let mark = page.texts().find(|t| t.line.text == "印").unwrap();
        let seal_box = mark.container;
        let rect = page
            .elements
            .iter()
            .find_map(|e| match e {
                Element::Image { rect, .. } => Some(*rect),
                _ => None,
            })
            .expect("image placed");
        assert!(
            seal_box.contains(&rect),
            "{file}: {rect:?} outside {seal_box:?}"
        );
        assert!(
            rect.w.max(rect.h) <= 21.0 * 72.0 / 25.4 + 0.01,
            "{file}: larger than 21 mm"
        );
        assert!(
            ((rect.w / rect.h) - aspect).abs() < 0.01,
            "{file}: aspect kept"
        );
        let (cx, cy) = (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0);
        let (mx, my) = (
            mark.extent.x + mark.extent.w / 2.0,
            mark.extent.y + mark.extent.h / 2.0,
        );
        assert!(
            (cx - mx).abs() < 0.5 && (cy - my).abs() < 1.5,
            "{file}: not centred on 印"
        );
    }
    // The image is really embedded in the PDF.
    let doc = seal_doc(json!({"image": "seal.png"})).unwrap();
    let pdf = renderer().pdf(&doc).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("/Subtype/Image"));
}

#[test]
fn seal_mark_false_omits_in() {
    let doc = seal_doc(json!({"mark": false})).unwrap();
    assert!(!doc
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .any(|t| t.line.text == "印"));
    let doc = seal_doc(json!({})).unwrap();
    assert!(doc
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .any(|t| t.line.text == "印"));
}

#[test]
fn bad_seal_images_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let not_image = dir.path().join("seal.png");
    std::fs::write(&not_image, b"\x89PNG\r\n\x1a\nthis is not a png").unwrap();
    let huge = dir.path().join("huge.png");
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    std::fs::write(&huge, big).unwrap();
    for (seal, needle) in [
        (
            json!({"image": "no-such-seal.png"}),
            "no-such-seal.png がありません（",
        ),
        (
            json!({"image": "no-such-seal.png"}),
            "fixtures/no-such-seal.png として探しました",
        ),
        (
            json!({"image": not_image.to_str().unwrap()}),
            "は壊れています（画像の大きさを読めません）",
        ),
        (json!({"image": huge.to_str().unwrap()}), "大きすぎます"),
        (
            json!({"image": "make_seal_images.py"}),
            "PNG でも JPEG でもありません",
        ),
    ] {
        let err = seal_doc(seal.clone()).unwrap_err().to_string();
        assert!(
            err.contains("seal.image") && err.contains(needle),
            "{seal}: {err}"
        );
    }
}

/// A PNG of 20000×20000 pixels (1 bit each, so its 50 MB of pixels deflate to a few hundred KB):
/// a decompression bomb for a decoder that trusts the header.
fn png_bomb() -> Vec<u8> {
    use std::io::Write;
    let (w, h) = (20_000u32, 20_000u32);
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.finalize().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([1, 0, 0, 0, 0]); // 1 bit, grey, deflate, no filter method, no interlace
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let row = vec![0u8; 1 + (w as usize).div_ceil(8)];
    for _ in 0..h {
        z.write_all(&row).unwrap();
    }
    let idat = z.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A small file that claims a huge picture is refused from its header, before anything is
/// decoded (it took 3.1 GB and 7.9 s to check): the size and the limit are named.
#[test]
fn a_seal_image_of_too_many_pixels_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.png");
    let bytes = png_bomb();
    assert!(
        bytes.len() < secform::model::seal::MAX_BYTES as usize,
        "under the file cap"
    );
    std::fs::write(&bomb, &bytes).unwrap();
    let err = seal_doc(json!({"image": bomb.to_str().unwrap()}))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("seal.image") && err.contains("20000×20000 ピクセルで大きすぎます"),
        "{err}"
    );
    // Just within the limit on one side, beyond it on the other: the longer side decides.
    let mut wide = bytes.clone();
    wide[16..20].copy_from_slice(&2000u32.to_be_bytes());
    wide[20..24].copy_from_slice(&2001u32.to_be_bytes());
    std::fs::write(&bomb, &wide).unwrap();
    let err = seal_doc(json!({"image": bomb.to_str().unwrap()}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("2000×2001 ピクセル"), "{err}");
}

/// A JPEG that breaks off after its header is named as a broken JPEG, in Japanese: never the
/// decoder's English words, never a quoted line break.
#[test]
fn a_corrupt_jpeg_seal_is_named_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let jpeg = std::fs::read(root().join("tests/fixtures/seal-wide.jpg")).unwrap();
    let broken = dir.path().join("broken.jpg");
    // Cut just after the frame header (SOF0): the size can be read, the image cannot.
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline JPEG");
    let len = u16::from_be_bytes([jpeg[sof + 2], jpeg[sof + 3]]) as usize;
    std::fs::write(&broken, &jpeg[..sof + 2 + len]).unwrap();
    let err = seal_doc(json!({"image": broken.to_str().unwrap()}))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("は壊れています（JPEG として読めません）"),
        "{err}"
    );
    let reason = err.rsplit_once("broken.jpg").unwrap().1;
    assert!(
        !reason.contains("<U+000A>")
            && !reason.chars().any(|c| c.is_ascii_alphabetic()
                && c != 'J'
                && c != 'P'
                && c != 'E'
                && c != 'G'),
        "{err}"
    );
}

/// The one-year rule counts as 民法 第140条 and 第143条 do: the year from `previous_check` starts the
/// next day and ends at the end of the anniversary, so 「実施」 stands on the anniversary itself and
/// is an error from the day after; `"status": "auto"` decides the same way.
#[test]
fn a_year_has_passed_only_from_the_day_after_the_anniversary() {
    let form = secform::FormSpec::get("npa-2022").unwrap();
    let auto_status = |v: &Value| {
        let mut v = v.clone();
        v["items"]["23"] = json!({"status": "auto"});
        let a = secform::input::answers::from_value(&v).unwrap();
        secform::rules::resolve(&a, form).items[&23].status.clone()
    };
    for (previous, anniversary, next_day, expiry) in [
        ("2025-04-10", "2026-04-10", "2026-04-11", "令和8年4月10日"),
        // From 2月29日 the year ends on 2月28日 (143条2項: the day before 3月1日).
        ("2024-02-29", "2025-02-28", "2025-03-01", "令和7年2月28日"),
        // From 2月28日 of the year before a leap year it ends on 2月29日, not on 2月28日.
        ("2023-02-28", "2024-02-29", "2024-03-01", "令和6年2月29日"),
    ] {
        let mut v = base();
        v["target"]["contract_start"] = json!("2023-01-05");
        v["target"]["previous_check"] = json!(previous);
        set(&mut v, 23, "実施", "前回確認から1年以内");
        v["checked_on"] = json!(anniversary);
        assert_clean(&v);
        assert_eq!(auto_status(&v), "実施", "{previous} → {anniversary}");

        v["checked_on"] = json!(next_day);
        let msg = errors_at(&v, "items.23.status").join("");
        for part in [
            format!("からの1年は{expiry}で満了"),
            "まで1年".to_string(),
            "日が経過しています".to_string(),
            "「実施」ではなく「未実施」".to_string(),
        ] {
            assert!(
                msg.contains(&part),
                "{previous} → {next_day}: «{part}» missing from: {msg}"
            );
        }
        assert_eq!(auto_status(&v), "未実施", "{previous} → {next_day}");
    }
}

/// A control character is reported as one, with its field, position and code point, whichever
/// text field it is in; it is not a character the font lacks, nor (with `--charset jis0208`) one
/// outside JIS X 0208. Tab and line feed are layout and pass both checks.
#[test]
fn control_characters_are_reported_as_such() {
    let fields: [&[&str]; 7] = [
        &["target", "company"],
        &["target", "department"],
        &["items", "3", "detail"],
        &["checker", "company"],
        &["checker", "department"],
        &["checker", "title"],
        &["checker", "name"],
    ];
    let controls = [
        '\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}',
        '\u{85}', '\u{9f}',
    ];
    for charset in [Charset::Any, Charset::Jis0208] {
        let o = CheckOptions { charset, ..opts() };
        for field in fields {
            for c in controls {
                let mut v = base();
                let mut slot = &mut v;
                for key in field {
                    slot = &mut slot[*key];
                }
                *slot = json!(format!("株式{c}会社\t一\n二"));
                let path = field.join(".");
                let code = format!("U+{:04X}", u32::from(c));
                let ps: Vec<Problem> = problems_with(&v, &o)
                    .into_iter()
                    .filter(Problem::is_error)
                    .map(|p| {
                        // Named as the form names the field; compared without it below.
                        assert!(p.label.is_some(), "{p:?}");
                        Problem { label: None, ..p }
                    })
                    .collect();
                assert_eq!(
                    ps,
                    vec![Problem::error(
                        path.as_str(),
                        format!("制御文字 {code} は使えません（3文字目）")
                    )],
                    "{charset:?} {path} {code}"
                );
            }
        }
    }
}

/// Tab and line feed are layout, not characters: `--charset jis0208` flags neither.
#[test]
fn charset_jis0208_passes_tabs_and_line_breaks() {
    let mut v = base();
    v["items"]["3"]["detail"] = json!("代表取締役\t鈴木一郎\n（情報セキュリティ責任者）");
    v["checker"]["name"] = json!("山田\t太郎");
    let jis = CheckOptions {
        charset: Charset::Jis0208,
        ..opts()
    };
    assert_eq!(problems_with(&v, &jis), vec![]);
}

/// A lone CR (old Mac line ends) is a line break, like CRLF: not a control character.
#[test]
fn a_lone_carriage_return_is_a_line_break() {
    let mut v = base();
    v["items"]["3"]["detail"] = json!("一行目\r二行目\r\n三行目");
    let jis = CheckOptions {
        charset: Charset::Jis0208,
        ..opts()
    };
    assert_eq!(problems_with(&v, &jis), vec![]);
    let a = secform::input::answers::from_value(&v).unwrap();
    assert_eq!(a.items[&3].detail, "一行目\n二行目\n三行目");
    let lines: Vec<String> = pdf_pages(&render(&v)).concat();
    for line in ["一行目", "二行目", "三行目"] {
        assert!(lines.iter().any(|l| l == line), "{line}: {lines:#?}");
    }
}

/// The circumstances are the layout's data: a form variant that conditions rows on another fact is
/// a new data file, and reading and checking follow it without new code.
#[test]
fn circumstances_come_from_the_layout() {
    let mut data: Value = serde_json::from_str(&read("layouts/npa-2022/form.json")).unwrap();
    for row in data["items"]["rows"].as_array_mut().unwrap() {
        if row["applies"]["circumstance"] == "onsite" {
            row["applies"]["circumstance"] = json!("telework");
        }
    }
    let form: secform::FormSpec = serde_json::from_value(data).unwrap();
    assert_eq!(
        form.circumstances(),
        [
            "telework",
            "disposal_requested",
            "return_requested",
            "information_system",
            "incident"
        ]
    );
    let mut a = secform::input::answers::from_value(&base()).unwrap();
    a.circumstances = [("telework", true)].into_iter().collect();
    let ps = secform::rules::check(&a, &form, renderer().fonts(), &opts());
    for row in ["items.13", "items.14"] {
        assert!(
            ps.iter().any(|p| p.path == row
                && p.message.contains(
                    "「甲の指定する場所において個別業務を行う場合」への回答が「はい」です"
                )),
            "{row}: {ps:#?}"
        );
    }
}

/// The names the README documents are the compiled-in layout's, and the reader accepts exactly
/// those.
#[test]
fn the_readme_documents_the_layouts_circumstances() {
    let readme = read("README.md");
    let line = readme
        .lines()
        .find(|l| l.starts_with("| `circumstances` |"))
        .expect("the circumstances row of the README's table");
    // `| \`circumstances\` | … \`onsite\` (…) → rows 13–14, … \`incident\` → 25–26. \`true\` makes …`
    let documented: Vec<&str> = line
        .split('`')
        .skip(3)
        .step_by(2)
        .take_while(|w| *w != "true")
        .collect();
    let form = secform::FormSpec::get("npa-2022").unwrap();
    assert_eq!(documented, form.circumstances());
    let mut v = base();
    v["circumstances"] = json!({"onsight": true});
    let msg = errors_at(&v, "circumstances.onsight").join("");
    assert!(msg.contains("\"onsite\" の誤り"), "{msg}");
    v["circumstances"] = json!({"telework": true});
    let msg = errors_at(&v, "circumstances.telework").join("");
    assert!(msg.contains(&form.circumstances().join(", ")), "{msg}");
}

/// Every problem `check` finds in `v`, as (severity, path) in the order reported.
fn reported(v: &Value) -> Vec<(Severity, String)> {
    problems(v)
        .into_iter()
        .map(|p| (p.severity, p.path))
        .collect()
}

fn errors(paths: &[&str]) -> Vec<(Severity, String)> {
    paths
        .iter()
        .map(|p| (Severity::Error, p.to_string()))
        .collect()
}

/// One structural problem no longer hides the rule problems of the parts that were read: they are
/// reported in the same run, after the structural ones. What depends on the part that could not be
/// read is not checked, so no rule problem is a consequence of the structural one.
#[test]
fn rule_problems_are_reported_beside_a_structural_one() {
    // An unknown field beside a missing reason and dates out of order.
    let mut v = base();
    v["target"]["compnay"] = json!("株式会社サンプル");
    set(&mut v, 7, "未実施", "");
    v["checked_on"] = json!("2025-03-01");
    assert_eq!(
        reported(&v),
        errors(&["target.compnay", "checked_on", "items.7.detail"])
    );
    let ps = problems(&v);
    assert!(ps[1].message.contains("契約開始年月日"), "{ps:#?}");
    assert!(ps[2].message.contains("未実施の理由"), "{ps:#?}");

    // A wrong type in one row: that row is not also "unanswered" nor "detail without status".
    let mut v = base();
    v["items"]["5"]["status"] = json!(5);
    set(&mut v, 7, "未実施", "");
    assert_eq!(reported(&v), errors(&["items.5.status", "items.7.detail"]));

    // A misspelt key inside a row: its reason may be under that key.
    let mut v = base();
    v["items"]["7"] = json!({"status": "未実施", "detial": "計画を作成中。"});
    v["checked_on"] = json!("2025-03-01");
    assert_eq!(reported(&v), errors(&["items.7.detial", "checked_on"]));
}

#[test]
fn what_depends_on_an_unread_part_is_not_checked() {
    // Row 1 unreadable: whether row 2 applies is unknown.
    let mut v = base();
    set(&mut v, 1, "未実", "一部を下請負させている。");
    set(&mut v, 2, "実施", "許可を得た。");
    set(&mut v, 7, "未実施", "");
    assert_eq!(reported(&v), errors(&["items.1.status", "items.7.detail"]));
    // …but row 9 read as 未実施 decides row 11 whatever row 10 is.
    let mut v = base();
    set(&mut v, 9, "未実施", "確認中。");
    v["items"]["10"]["status"] = json!(true);
    assert_eq!(reported(&v), errors(&["items.10.status", "items.11"]));

    // previous_check unreadable: neither row 23 nor the order of that date is checked.
    let mut v = base();
    v["target"]["previous_check"] = json!("2025-13-01");
    set(&mut v, 23, "実施", "前回確認から6か月");
    set(&mut v, 7, "未実施", "");
    assert_eq!(
        reported(&v),
        errors(&["target.previous_check", "items.7.detail"])
    );

    // `items` misspelt: no row is "unanswered"; the dates are still checked.
    let mut v = base();
    let items = v.as_object_mut().unwrap().remove("items").unwrap();
    v["itmes"] = items;
    v["checked_on"] = json!("2025-03-01");
    assert_eq!(reported(&v), errors(&["itmes", "checked_on"]));

    // A row number that cannot be read may be any row: none is "unanswered".
    let mut v = base();
    let row1 = v["items"].as_object_mut().unwrap().remove("1").unwrap();
    v["items"]["01"] = row1;
    set(&mut v, 7, "未実施", "");
    assert_eq!(reported(&v), errors(&["items.01", "items.7.detail"]));

    // A fact that cannot be read decides nothing; the others still do.
    let mut v = base();
    v["circumstances"] = json!({"onsite": "yes", "incident": true});
    assert_eq!(
        reported(&v),
        errors(&["circumstances.onsite", "items.25", "items.26"])
    );

    // subcontractor unreadable: no warning about the name's suffix.
    let mut v = base();
    v["target"]["subcontractor"] = json!("no");
    v["target"]["company"] = json!("株式会社サンプル(下請負者等)");
    set(&mut v, 7, "未実施", "");
    assert_eq!(
        reported(&v),
        errors(&["target.subcontractor", "items.7.detail"])
    );

    // Characters of the fields that were read are checked too.
    let mut v = base();
    v["checker"]["name"] = json!(["山田"]);
    v["checker"]["title"] = json!("部長\u{b}");
    assert_eq!(reported(&v), errors(&["checker.name", "checker.title"]));

    // An unknown layout: nothing can be checked against it, and its rows are not read either.
    let mut v = base();
    v["layout"] = json!("npa-2099");
    set(&mut v, 7, "未実施", "");
    assert_eq!(reported(&v), errors(&["layout"]));
}

/// Characters that print as nothing are named as such, with where, not as glyphs the font lacks
/// (which would send the user looking for a fallback font); a character the font lacks is told
/// with its position too.
#[test]
fn invisible_characters_are_named_and_placed() {
    for (invisible, position) in [
        ('\u{200B}', 3),
        ('\u{FEFF}', 3),
        ('\u{200E}', 3),
        ('\u{00AD}', 3),
    ] {
        let mut v = base();
        v["target"]["company"] = json!(format!("株式{invisible}会社サンプル"));
        let errors = errors_at(&v, "target.company");
        let code = format!("U+{:04X}", u32::from(invisible));
        assert_eq!(
            errors,
            [format!(
                "見えない文字 {code} が {position} 文字目にあります。コピーしたときに紛れ込んだものなので削除してください"
            )],
            "{code}"
        );
    }
    // A joiner inside a combined emoji is named as such, not as something pasted unseen; one
    // at the start or beside a space is still the stray kind.
    let mut v = base();
    v["target"]["department"] = json!("情報部👨\u{200D}👩 \u{200D}x");
    let errors = errors_at(&v, "target.department");
    assert!(
        errors[0].starts_with("5 文字目の U+200D（ゼロ幅接合子）は、絵文字などを組み合わせて"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("見えない文字 U+200D が 8 文字目に"),
        "{errors:?}"
    );
    assert!(
        errors.iter().all(|e| !e.contains("--")),
        "no option named: {errors:?}"
    );
    let mut v = base();
    v["checker"]["name"] = json!("山田 𠮷郎");
    let errors = errors_at(&v, "checker.name");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("フォントにない文字「𠮷」（U+20BB7）が 4 文字目にあります"));
}

/// A row number written another way (a leading zero, full-width digits, a space) is told how to
/// write it; spaces around a status are forgiven.
#[test]
fn row_numbers_written_another_way_are_told_how_to_write_them() {
    for (key, path) in [("05", "items.05"), ("５", "items"), (" 5", "items")] {
        let mut v = base();
        let row = v["items"]["5"].take();
        v["items"].as_object_mut().unwrap().remove("5");
        v["items"][key] = row;
        let errors = errors_at(&v, path);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("前に 0 や空白を付けずに \"5\" と書きます")),
            "{key}: {errors:?}"
        );
    }
    let mut v = base();
    v["items"]["27"] = json!({"status": "実施"});
    assert!(errors_at(&v, "items.27")[0].contains("\"1\" から \"26\" までです"));

    let mut v = base();
    v["items"]["5"]["status"] = json!("実施　");
    assert_clean(&v);
}

fn warnings_of(v: &Value) -> Vec<(String, String)> {
    problems(v)
        .into_iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| (p.path, p.message))
        .collect()
}

/// What a reviewer would send back is a warning, never an error: a starter's 〇〇 left in, 実施
/// with nothing said, a 確認者 without 所属 or 役職, the suffix typed another way.
#[test]
fn check_warns_where_a_reviewer_would_send_it_back() {
    assert_eq!(warnings_of(&base()), [], "the base is clean");
    let mut v = base();
    v["target"]["department"] = json!("〇〇部");
    set(&mut v, 3, "実施", "  ");
    v["checker"].as_object_mut().unwrap().remove("title");
    v["checker"]["department"] = json!("");
    let w = warnings_of(&v);
    let at = |path: &str| {
        w.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
    };
    assert!(
        at("target.department")[0].contains("「〇〇」が残っています"),
        "{w:?}"
    );
    assert!(
        at("items.3.detail")[0].contains("実施状況(詳細)が空です"),
        "{w:?}"
    );
    assert!(at("checker.title")[0].contains("役職がありません"), "{w:?}");
    assert!(
        at("checker.department")[0].contains("所属がありません"),
        "{w:?}"
    );
    assert!(problems(&v).iter().all(|p| !p.is_error()), "warnings only");

    let mut v = base();
    v["target"]["subcontractor"] = json!(true);
    v["target"]["company"] = json!("株式会社サンプル（下請負者）");
    let w = warnings_of(&v);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "target.company");
    assert!(
        w[0].1
            .contains("「（下請負者）」は「(下請負者等)」として印字します"),
        "{w:?}"
    );
    let lines = pdf_pages(&render(&v)).concat();
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("株式会社サンプル(下請負者等)")),
        "{lines:?}"
    );
    v["target"]["company"] = json!("株式会社サンプル(下請負者等)");
    assert_eq!(warnings_of(&v), []);
    v["target"]["subcontractor"] = json!(false);
    assert_eq!(warnings_of(&v)[0].0, "target.subcontractor");
}

/// A detail that alone fills more than two pages of the table is a warning (exit 0) naming the
/// row: found where the layout says it is, not by a count of characters. The row's lines in the
/// laid-out form then span three pages at least; a line fewer, and nothing is said.
#[test]
fn a_detail_that_alone_fills_more_than_two_pages_is_a_warning() {
    let long = |n: usize| {
        let mut v = base();
        let lines: Vec<String> = (1..=n).map(|i| format!("{i}行目：点検した。")).collect();
        set(&mut v, 12, "実施", &lines.join("\n"));
        v
    };
    let warning = |v: &Value| {
        problems(v)
            .into_iter()
            .find(|p| p.path == "items.12.detail" && p.severity == Severity::Warning)
    };
    let first = (60..200)
        .find(|&n| warning(&long(n)).is_some())
        .expect("a long detail is warned about");
    let w = warning(&long(first)).unwrap();
    assert!(w.message.contains(&format!("{first} 行")), "{}", w.message);
    assert!(w.message.contains("2 ページ"), "{}", w.message);
    assert!(warning(&long(first - 1)).is_none());
    for n in [first, first + 40] {
        let a = secform::input::answers::from_value(&long(n)).unwrap();
        let rendered = renderer().form_document(&a, &opts()).unwrap();
        assert!(
            rendered
                .warnings
                .iter()
                .any(|p| p.path == "items.12.detail"),
            "render shows it too"
        );
        let pages = rendered
            .document
            .pages
            .iter()
            .filter(|p| p.texts().any(|t| t.line.text.ends_with("行目：点検した。")))
            .count();
        assert!(pages >= 3, "{n} lines on {pages} pages");
    }
    // 10,000 lines (time and peak memory: bench/seal-bomb.sh): a warning, not an error.
    let huge = long(10_000);
    let w = warning(&huge).expect("warned");
    assert!(w.message.contains("10000 行"), "{}", w.message);
    assert_clean(&huge);
}

/// Issue 21 §4: a detail still equal to an example text of the layout data (what older starters
/// wrote as answers) is a warning naming its row; every example of `layouts/npa-2022/examples.json`
/// is found, and a detail that says more is not.
#[test]
fn a_detail_left_as_an_example_text_is_a_warning_naming_its_row() {
    let examples: Value =
        serde_json::from_str(&std::fs::read_to_string("layouts/npa-2022/examples.json").unwrap())
            .unwrap();
    let examples = examples["details"].as_object().unwrap();
    assert!(examples.len() >= 13, "the old starter's 13 details");
    let mut v = base();
    for (row, texts) in examples {
        let text = texts[0].as_str().unwrap();
        set(&mut v, row.parse().unwrap(), "実施", &format!(" {text}\n"));
    }
    let w = warnings_of(&v);
    for (row, texts) in examples {
        let text = texts[0].as_str().unwrap();
        let path = format!("items.{row}.detail");
        let found: Vec<_> = w.iter().filter(|(p, _)| *p == path).collect();
        assert_eq!(found.len(), 1, "{path}: {w:?}");
        assert!(
            found[0].1.contains(&format!(
                "行 {row} の詳細が secform の以前の記入例と同じ文です（「{text}」）"
            )),
            "{w:?}"
        );
    }
    assert!(
        problems(&v).iter().all(|p| !p.is_error()),
        "a warning, not an error"
    );
    // The reader's own words around it are theirs.
    let mut v = base();
    set(
        &mut v,
        5,
        "実施",
        "取扱者全員から誓約書を徴収した。令和8年4月1日に更新。",
    );
    assert_eq!(warnings_of(&v), []);
}

/// Issue 21 §3: a name ending in 「(下請負者等)」 in any bracket while the flag is not true (a
/// workbook's いいえ or empty cell) is a warning; so is an odd or doubled suffix on a 下請負者等,
/// which is printed once, as the layout writes it.
#[test]
fn the_subcontractor_flag_and_the_name_must_agree() {
    for name in [
        "株式会社サンプル(下請負者等)",
        "株式会社サンプル（下請負者等）",
        "株式会社サンプル［下請負者等］",
        "株式会社サンプル(下請負者)",
    ] {
        for flag in [json!(false), Value::Null] {
            let mut v = base();
            v["target"]["company"] = json!(name);
            if flag.is_null() {
                v["target"].as_object_mut().unwrap().remove("subcontractor");
            } else {
                v["target"]["subcontractor"] = flag;
            }
            let w = warnings_of(&v);
            assert_eq!(w.len(), 1, "{name}: {w:?}");
            assert_eq!(w[0].0, "target.subcontractor");
            assert!(
                w[0].1
                    .contains("「(1) 事業者名(下請負者等)」が「はい」ではありません"),
                "{w:?}"
            );
        }
    }
    for (name, written) in [
        ("株式会社サンプル［下請負者等］", "［下請負者等］"),
        (
            "株式会社サンプル(下請負者等)(下請負者等)",
            "(下請負者等)(下請負者等)",
        ),
        (
            "株式会社サンプル【下請負者等】（下請負者等）",
            "【下請負者等】（下請負者等）",
        ),
    ] {
        let mut v = base();
        v["target"]["subcontractor"] = json!(true);
        v["target"]["company"] = json!(name);
        let w = warnings_of(&v);
        assert_eq!(w.len(), 1, "{name}: {w:?}");
        assert_eq!(w[0].0, "target.company");
        assert!(
            w[0].1
                .contains(&format!("「{written}」は「(下請負者等)」として印字します")),
            "{w:?}"
        );
        let lines = pdf_pages(&render(&v)).concat();
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("株式会社サンプル(下請負者等)")),
            "{name}: {lines:?}"
        );
    }
}
