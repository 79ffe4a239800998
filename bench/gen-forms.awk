# Writes N varied answer sets as JSON Lines (one a line) for the batch benchmark.
# Every form gets its own company, department and wording, drawn with a fixed-seed generator, so
# that no two documents use the same glyphs and no cache can help.
# Usage (bytes, not characters, whichever awk): LC_ALL=C awk -v n=1000 -v seed=1 -f bench/gen-forms.awk > forms.jsonl
function rnd(k) { state = (state * 16807) % 2147483647; return int(state / 2147483647 * k) }
function pick(list, count) { return list[rnd(count) + 1] }
function kanji(len,   s, i) { s = ""; for (i = 0; i < len; i++) s = s substr(KANJI, rnd(KLEN) * 3 + 1, 3); return s }
function sentence(   s) {
    s = pick(OPENERS, NO) kanji(2 + rnd(3)) pick(MIDDLES, NM) kanji(1 + rnd(4)) pick(ENDINGS, NE)
    if (rnd(3) == 0) s = s "令和" (1 + rnd(7)) "年" (1 + rnd(12)) "月に" kanji(2) "を確認した。"
    return s
}
BEGIN {
    if (n == "") n = 1000
    state = (seed == "" ? 1 : seed) + 0
    # 常用漢字 from the first grades (UTF-8, three bytes each).
    KANJI = "一右雨円王音下火花貝学気九休玉金空月犬見五口校左三山子四糸字耳七車手十出女小上森人水正生青夕石赤千川先早草足村大男竹中虫町天田土二日入年白八百文木本名目立力林六引羽雲園遠何科夏家歌画回会海絵外角楽活間丸岩顔汽記帰弓牛魚京強教近兄形計元言原戸古午後語工公広交光考行高黄合谷国黒今才細作算止市矢姉思紙寺自時室社弱首秋週春書少場色食心新親図数西声星晴切雪船線前組走多太体台地池知茶昼長鳥朝直通弟店点電刀冬当東答頭同道読内南肉馬売買麦半番父風分聞米歩母方北毎妹万明鳴毛門夜野友用曜来里理話悪安暗医委意育員院飲運泳駅央横屋温化荷界開階寒感漢館岸起期客究急級宮球去橋業曲局銀区苦具君係軽血決研県庫湖向幸港号根祭皿仕死使始指歯詩次事持式実写者主守取酒受州拾終習集住重宿所暑助昭消商章勝乗植申身神真深進世整昔全相送想息速族他打対待代第題炭短談着注柱丁帳調追定庭笛鉄転都度投豆島湯登等動童農波配倍箱畑発反坂板皮悲美鼻筆氷表秒病品負部服福物平返勉放味命面問役薬由油有遊予羊洋葉陽様落流旅両緑礼列練路和"
    KLEN = length(KANJI) / 3
    NP = split("株式会社 有限会社 合同会社 株式会社 株式会社", PREFIX, " ")
    NW = split("東西 北斗 青葉 桜 日本 未来 創研 情報 データ ネット ソフト 工業 通信 電子 技研 計算 システム サービス 総合 中央 新星 朝日 光 大和 富士 三和 第一 共栄 信和 協同", WORDS, " ")
    ND = split("開発部 運用部 保守課 情報システム部 総務部 技術部 第一事業部 サービス推進室 品質管理部 基盤運用チーム", DEPTS, " ")
    NO = split("取扱者全員について,年2回の点検で,管理責任者が,業務開始時に,四半期ごとに", OPENERS, ",")
    NM = split("の状況を確認し、,に関する記録を作成し、,の手順を定め、,について教育を行い、", MIDDLES, ",")
    NE = split("を管理している。,の承認を得た。,を甲に通知した。,を保管している。", ENDINGS, ",")
    NF = split("太郎 花子 一郎 次郎 恵子 修 誠 明美 健 直子", GIVEN, " ")
    NS = split("山田 佐藤 鈴木 高橋 田中 伊藤 渡辺 中村 小林 加藤", SURNAME, " ")
    split("1 3 4 5 6 7 9 10 12 15 16 18 24", ROWS, " ")
    for (i = 1; i <= n; i++) {
        company = pick(PREFIX, NP) pick(WORDS, NW) pick(WORDS, NW) kanji(1 + rnd(2))
        isSub = (i > 1 && rnd(4) != 0) ? "true" : "false"
        printf "{\"layout\":\"npa-2022\",\"target\":{\"company\":\"%s\",\"subcontractor\":%s,\"department\":\"%s\",\"contract_start\":\"2025-%02d-01\"},\"items\":{", company, isSub, pick(DEPTS, ND) kanji(1), 1 + rnd(12)
        for (r = 1; r <= 13; r++) {
            row = ROWS[r]
            if (row == 1 && isSub == "false") line = "{\"status\":\"未実施\",\"detail\":\"" kanji(2) "業務の一部を" kanji(2) "社に下請負させている。\"}"
            else line = "{\"status\":\"実施\",\"detail\":\"" sentence() "\"}"
            printf "%s\"%s\":%s", (r > 1 ? "," : ""), row, line
        }
        if (isSub == "false") printf ",\"2\":{\"status\":\"実施\",\"detail\":\"%s\"}", sentence()
        name = pick(SURNAME, NS) " " pick(GIVEN, NF)
        printf "},\"checked_on\":\"2026-04-%02d\",\"checker\":{\"company\":\"%s\",\"department\":\"総務部\",\"title\":\"部長\",\"name\":\"%s\"}}\n", 1 + rnd(20), company, name
    }
}
