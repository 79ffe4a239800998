"""Fills a secform workbook from outside, through its defined names only (issue 13)."""
import sys

import openpyxl

src, dst = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(src)


def put(name, value):
    dn = wb.defined_names[name]
    (sheet, ref), = list(dn.destinations)
    wb[sheet][ref.replace("$", "")] = value


put("target_company", "株式会社外部入力")
put("items_1_status", "実施")
put("items_1_detail", "外部のスクリプトから記入した。\n二行目。")
put("items_3_status", "未実施")
put("items_3_detail", "準備中のため。")
put("checked_on", "令和8年4月10日")
put("checker_name", "外部 太郎")
wb.save(dst)
