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
# The starter answers nothing (issue 21): every row that applies on a first check, the contract's
# start and the checker are filled here.
for n in (4, 5, 6, 7, 9, 10, 12, 15, 16, 18, 24):
    put(f"items_{n}_status", "実施")
    put(f"items_{n}_detail", f"外部のスクリプトから記入した（行{n}）。")
put("target_contract_start", "令和8年4月1日")
put("checked_on", "令和8年4月10日")
put("checker_company", "株式会社外部入力")
put("checker_name", "外部 太郎")
wb.save(dst)
