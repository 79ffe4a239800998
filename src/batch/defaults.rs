//! Laying a batch entry over the batch's `defaults`.

use serde_json::{Map, Value};

/// Where in the answer set an object sits: `items` rows are replaced whole, everything else merges.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Root,
    Items,
    Inner,
}

/// `entry` laid over `defaults`: objects merge key by key, at any depth, and the entry wins every
/// value both have (an explicit `null` in the entry clears a default). An `items` row is taken whole
/// from the entry when it has that row: half a row from each side would pair the entry's 実施/未実施
/// with a reason written for other companies.
pub fn over_defaults(defaults: &Value, entry: Value) -> Value {
    merge(defaults, entry, Level::Root)
}

fn merge(base: &Value, top: Value, level: Level) -> Value {
    let Value::Object(base) = base else {
        return top;
    };
    let Value::Object(mut top) = top else {
        return top;
    };
    let mut out = Map::new();
    for (key, base_value) in base {
        let value = match top.shift_remove(key) {
            None => base_value.clone(),
            Some(v) if level == Level::Items => v,
            Some(v) => {
                let child = if level == Level::Root && key == "items" {
                    Level::Items
                } else {
                    Level::Inner
                };
                merge(base_value, v, child)
            }
        };
        out.insert(key.clone(), value);
    }
    out.extend(top);
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entry_wins_and_objects_merge_deeply() {
        let defaults = json!({
            "checked_on": "2026-04-10",
            "checker": {"company": "親会社", "name": "山田 太郎", "title": "部長"},
            "layout": "npa-2022"
        });
        let entry = json!({
            "checked_on": "2026-04-11",
            "checker": {"name": "佐藤 花子"},
            "target": {"company": "子会社"}
        });
        assert_eq!(
            over_defaults(&defaults, entry),
            json!({
                "checked_on": "2026-04-11",
                "checker": {"company": "親会社", "name": "佐藤 花子", "title": "部長"},
                "layout": "npa-2022",
                "target": {"company": "子会社"}
            })
        );
    }

    #[test]
    fn items_merge_row_by_row_and_a_row_is_never_split() {
        let defaults = json!({"items": {
            "1": {"status": "実施", "detail": "下請負はしていない。"},
            "3": {"status": "実施", "detail": "代表取締役を責任者としている。"}
        }});
        let entry = json!({"items": {
            "1": {"status": "未実施"},
            "5": {"status": "実施", "detail": "誓約書を徴収した。"}
        }});
        let merged = over_defaults(&defaults, entry);
        assert_eq!(merged["items"]["1"], json!({"status": "未実施"}));
        assert_eq!(
            merged["items"]["3"]["detail"],
            "代表取締役を責任者としている。"
        );
        assert_eq!(merged["items"]["5"]["detail"], "誓約書を徴収した。");
    }

    #[test]
    fn null_clears_and_non_objects_replace() {
        let defaults = json!({"target": {"department": "総務部", "company": "A"}, "items": {}});
        let entry = json!({"target": {"department": null}, "items": "x"});
        assert_eq!(
            over_defaults(&defaults, entry),
            json!({"target": {"department": null, "company": "A"}, "items": "x"})
        );
        // An entry that is not an object stays what it is, for the answer-set reader to report.
        assert_eq!(over_defaults(&defaults, json!([1])), json!([1]));
    }

    #[test]
    fn without_defaults_the_entry_is_unchanged() {
        let entry = json!({"target": {"company": "A"}, "items": {"2": {"status": "実施"}}});
        assert_eq!(over_defaults(&json!({}), entry.clone()), entry);
    }
}
