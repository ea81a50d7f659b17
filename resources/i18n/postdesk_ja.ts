<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
    <context>
        <name>BatchValidationDialog</name>
        <message>
            <source>Checking %1 files…</source>
            <translation>%1 件のファイルを検証しています…</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>キャンセルしています…</translation>
        </message>
        <message>
            <source>Checked %1 of %2 files</source>
            <translation>%2 件中 %1 件を検証しました</translation>
        </message>
        <message>
            <source>Validation failed: %1</source>
            <translation>検証に失敗しました: %1</translation>
        </message>
        <message>
            <source>%1 files: %2 errors, %3 warnings, %4 information</source>
            <translation>%1 ファイル: エラー %2 件、警告 %3 件、情報 %4 件</translation>
        </message>
        <message>
            <source>Cancelled after %1 of %2 files.</source>
            <translation>%2 件中 %1 件を検証したところでキャンセルしました。</translation>
        </message>
        <message>
            <source>All rules</source>
            <translation>すべてのルール</translation>
        </message>
        <message>
            <source>All severities</source>
            <translation>すべての重大度</translation>
        </message>
        <message>
            <source>Export Report</source>
            <translation>レポートを書き出す</translation>
        </message>
        <message>
            <source>Could not export: %1</source>
            <translation>書き出せませんでした: %1</translation>
        </message>
        <message>
            <source>Exported to %1</source>
            <translation>%1 に書き出しました</translation>
        </message>
        <message>
            <source>Validate Site</source>
            <translation>サイトを検証</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <source>&amp;Rule:</source>
            <translation>ルール(&amp;R):</translation>
        </message>
        <message>
            <source>&amp;Severity:</source>
            <translation>重大度(&amp;S):</translation>
        </message>
        <message>
            <source>Export &amp;HTML…</source>
            <translation>HTML で書き出す(&amp;H)…</translation>
        </message>
        <message>
            <source>Export &amp;CSV…</source>
            <translation>CSV で書き出す(&amp;C)…</translation>
        </message>
        <message>
            <source>Export &amp;JSON…</source>
            <translation>JSON で書き出す(&amp;J)…</translation>
        </message>
    </context>
    <context>
        <name>DateTimeField</name>
        <message>
            <source>Set a date (a draft gets one when it is published)</source>
            <translation>日付を設定する（下書きは公開時に日付が入ります）</translation>
        </message>
        <message>
            <source>UTC offset, e.g. +0900</source>
            <translation>UTC からの時差（例: +0900）</translation>
        </message>
        <message>
            <source>Unreadable date: %1</source>
            <translation>日付を読み取れません: %1</translation>
        </message>
        <message>
            <source>The UTC offset must look like +0900</source>
            <translation>時差は +0900 の形式で入力してください</translation>
        </message>
    </context>
    <context>
        <name>FindBar</name>
        <message>
            <source>Find:</source>
            <translation>検索:</translation>
        </message>
        <message>
            <source>Replace:</source>
            <translation>置換:</translation>
        </message>
        <message>
            <source>Match case</source>
            <translation>大文字と小文字を区別</translation>
        </message>
        <message>
            <source>Previous match (Shift+F3)</source>
            <translation>前を検索 (Shift+F3)</translation>
        </message>
        <message>
            <source>Next match (F3)</source>
            <translation>次を検索 (F3)</translation>
        </message>
        <message>
            <source>Replace</source>
            <translation>置換</translation>
        </message>
        <message>
            <source>Replace all</source>
            <translation>すべて置換</translation>
        </message>
        <message>
            <source>Close (Esc)</source>
            <translation>閉じる (Esc)</translation>
        </message>
        <message>
            <source>Not found</source>
            <translation>見つかりません</translation>
        </message>
        <message numerus="yes">
            <source>%n replaced</source>
            <translation>
                <numerusform>%n 件を置換しました</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FindingsModel</name>
        <message>
            <source>Errors</source>
            <translation>エラー</translation>
        </message>
        <message>
            <source>Warnings</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Information</source>
            <translation>情報</translation>
        </message>
        <message>
            <source>Finding</source>
            <translation>指摘</translation>
        </message>
        <message>
            <source>Line</source>
            <translation>行</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>ルール</translation>
        </message>
        <message>
            <source>fixable</source>
            <translation>修正可能</translation>
        </message>
    </context>
    <context>
        <name>FindingsPanel</name>
        <message>
            <source>Fix</source>
            <translation>修正</translation>
        </message>
        <message>
            <source>Apply the selected finding's fix (one undoable edit)</source>
            <translation>選択した指摘の修正を適用します（一度の操作で元に戻せます）</translation>
        </message>
        <message>
            <source>%1 errors, %2 warnings, %3 notes</source>
            <translation>エラー %1 件、警告 %2 件、情報 %3 件</translation>
        </message>
        <message>
            <source>No findings</source>
            <translation>指摘はありません</translation>
        </message>
    </context>
    <context>
        <name>FrontMatterForm</name>
        <message>
            <source>Layout</source>
            <translation>レイアウト</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>タイトル</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日付</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>カテゴリ</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>タグ</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>著者</translation>
        </message>
        <message>
            <source>Excerpt</source>
            <translation>抜粋</translation>
        </message>
        <message>
            <source>Reading time (min)</source>
            <translation>読了時間（分）</translation>
        </message>
        <message>
            <source>Share image</source>
            <translation>シェア画像</translation>
        </message>
    </context>
    <context>
        <name>ImageField</name>
        <message>
            <source>Choose…</source>
            <translation>選択…</translation>
        </message>
        <message>
            <source>No image</source>
            <translation>画像なし</translation>
        </message>
        <message>
            <source>Image not found</source>
            <translation>画像が見つかりません</translation>
        </message>
        <message>
            <source>Share Image</source>
            <translation>シェア画像</translation>
        </message>
        <message>
            <source>Images (*.png *.jpg *.jpeg *.webp *.gif)</source>
            <translation>画像 (*.png *.jpg *.jpeg *.webp *.gif)</translation>
        </message>
        <message>
            <source>Pick a file inside the site</source>
            <translation>サイト内のファイルを選んでください</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>&amp;Open Site…</source>
            <translation>サイトを開く(&amp;O)…</translation>
        </message>
        <message>
            <source>&amp;New Draft…</source>
            <translation>新しい下書き(&amp;N)…</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Export Preview HTML…</source>
            <translation>プレビューを HTML で書き出す(&amp;E)…</translation>
        </message>
        <message>
            <source>&amp;Publish</source>
            <translation>公開(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>終了(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>元に戻す(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>やり直す(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Find…</source>
            <translation>検索(&amp;F)…</translation>
        </message>
        <message>
            <source>Find and &amp;Replace…</source>
            <translation>検索と置換(&amp;R)…</translation>
        </message>
        <message>
            <source>Find &amp;Next</source>
            <translation>次を検索(&amp;N)</translation>
        </message>
        <message>
            <source>Find Pre&amp;vious</source>
            <translation>前を検索(&amp;V)</translation>
        </message>
        <message>
            <source>Next Finding</source>
            <translation>次の指摘</translation>
        </message>
        <message>
            <source>Previous Finding</source>
            <translation>前の指摘</translation>
        </message>
        <message>
            <source>Apply Fix</source>
            <translation>修正を適用</translation>
        </message>
        <message>
            <source>&amp;Validate Site…</source>
            <translation>サイトを検証(&amp;V)…</translation>
        </message>
        <message>
            <source>&amp;About PostDesk</source>
            <translation>PostDesk について(&amp;A)</translation>
        </message>
        <message>
            <source>Filter Posts</source>
            <translation>記事を絞り込む</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>ファイル(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>編集(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>表示(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>ツール(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>ヘルプ(&amp;H)</translation>
        </message>
        <message>
            <source>Recent &amp;Sites</source>
            <translation>最近開いたサイト(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>言語(&amp;L)</translation>
        </message>
        <message>
            <source>Toolbar</source>
            <translation>ツールバー</translation>
        </message>
        <message>
            <source>Posts</source>
            <translation>記事</translation>
        </message>
        <message>
            <source>Findings</source>
            <translation>指摘</translation>
        </message>
        <message>
            <source>Front Matter</source>
            <translation>フロントマター</translation>
        </message>
        <message>
            <source>Choose a post in the list on the left, or start one with File → New Draft.</source>
            <translation>左の一覧から記事を選ぶか、「ファイル → 新しい下書き」で書き始めてください。</translation>
        </message>
        <message>
            <source>Cannot open site</source>
            <translation>サイトを開けません</translation>
        </message>
        <message>
            <source>%1 does not exist.</source>
            <translation>%1 は存在しません。</translation>
        </message>
        <message>
            <source>Configuration error</source>
            <translation>設定エラー</translation>
        </message>
        <message>
            <source>The site's configuration has an error and the site was not opened:</source>
            <translation>サイトの設定にエラーがあるため、サイトを開きませんでした:</translation>
        </message>
        <message>
            <source>Opened %1</source>
            <translation>%1 を開きました</translation>
        </message>
        <message>
            <source>Open Site</source>
            <translation>サイトを開く</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>（なし）</translation>
        </message>
        <message>
            <source>Cannot open the post</source>
            <translation>記事を開けません</translation>
        </message>
        <message>
            <source>Modified</source>
            <translation>変更あり</translation>
        </message>
        <message>
            <source>The finding is gone; nothing to fix.</source>
            <translation>この指摘はすでに解消されています。修正するものはありません。</translation>
        </message>
        <message>
            <source>Save failed</source>
            <translation>保存できませんでした</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>%1 を保存しました</translation>
        </message>
        <message>
            <source>Export Preview HTML</source>
            <translation>プレビューを HTML で書き出す</translation>
        </message>
        <message>
            <source>Exported %1</source>
            <translation>%1 を書き出しました</translation>
        </message>
        <message>
            <source>%1 was removed or renamed on disk.</source>
            <translation>%1 はディスク上で削除されたか、名前が変更されました。</translation>
        </message>
        <message>
            <source>The file on disk is no longer readable</source>
            <translation>ディスク上のファイルを読み込めなくなりました</translation>
        </message>
        <message>
            <source>Reloaded %1 (changed on disk)</source>
            <translation>%1 を再読み込みしました（ディスク上で変更されていました）</translation>
        </message>
        <message>
            <source>Publish failed</source>
            <translation>公開できませんでした</translation>
        </message>
        <message>
            <source>Published as %1</source>
            <translation>%1 として公開しました</translation>
        </message>
        <message>
            <source>About PostDesk</source>
            <translation>PostDesk について</translation>
        </message>
        <message>
            <source>PostDesk %1

An editorial workstation and pre-publish checker for Japanese Jekyll blogs.</source>
            <translation>PostDesk %1

日本語の Jekyll ブログのための編集ワークステーション兼公開前チェッカーです。</translation>
        </message>
    </context>
    <context>
        <name>PostList</name>
        <message>
            <source>Filter by title, file or category (fuzzy)</source>
            <translation>タイトル・ファイル名・カテゴリで絞り込み（あいまい検索）</translation>
        </message>
        <message>
            <source>Only with errors</source>
            <translation>エラーのある記事のみ</translation>
        </message>
        <message>
            <source>All categories</source>
            <translation>すべてのカテゴリ</translation>
        </message>
        <message>
            <source>All statuses</source>
            <translation>すべての状態</translation>
        </message>
        <message>
            <source>Drafts</source>
            <translation>下書き</translation>
        </message>
        <message>
            <source>Published</source>
            <translation>公開済み</translation>
        </message>
    </context>
    <context>
        <name>PostListModel</name>
        <message>
            <source>Status</source>
            <translation>状態</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日付</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>タイトル</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>カテゴリ</translation>
        </message>
        <message>
            <source>Errors</source>
            <translation>エラー</translation>
        </message>
        <message>
            <source>Warnings</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Draft</source>
            <translation>下書き</translation>
        </message>
        <message>
            <source>Unpublished</source>
            <translation>非公開</translation>
        </message>
        <message>
            <source>Published</source>
            <translation>公開済み</translation>
        </message>
    </context>
    <context>
        <name>Prompts</name>
        <message>
            <source>Unsaved changes</source>
            <translation>未保存の変更</translation>
        </message>
        <message>
            <source>%1 has unsaved changes. Save them?</source>
            <translation>%1 には保存されていない変更があります。保存しますか？</translation>
        </message>
        <message>
            <source>Recover unsaved changes</source>
            <translation>未保存の変更の復元</translation>
        </message>
        <message>
            <source>PostDesk closed without saving %1. Recover the changes autosaved at %2?</source>
            <translation>PostDesk は %1 を保存せずに終了しました。%2 に自動保存された変更を復元しますか？</translation>
        </message>
        <message>
            <source>Cannot publish</source>
            <translation>公開できません</translation>
        </message>
        <message numerus="yes">
            <source>This post has %n error(s). Fix them before publishing.</source>
            <translation>
                <numerusform>この記事にはエラーが %n 件あります。公開する前に修正してください。</numerusform>
            </translation>
        </message>
        <message>
            <source>Publish with warnings?</source>
            <translation>警告があるまま公開しますか？</translation>
        </message>
        <message numerus="yes">
            <source>This post has %n warning(s). Publish anyway?</source>
            <translation>
                <numerusform>この記事には警告が %n 件あります。このまま公開しますか？</numerusform>
            </translation>
        </message>
        <message>
            <source>File changed on disk</source>
            <translation>ディスク上のファイルが変更されました</translation>
        </message>
        <message>
            <source>%1 was changed by another program while you have unsaved edits.</source>
            <translation>未保存の編集があるあいだに、%1 が別のプログラムによって変更されました。</translation>
        </message>
        <message>
            <source>Keep mine</source>
            <translation>編集中の内容を残す</translation>
        </message>
        <message>
            <source>Take theirs</source>
            <translation>ディスク上の内容を採用</translation>
        </message>
        <message>
            <source>Compare…</source>
            <translation>比較…</translation>
        </message>
        <message>
            <source>Your version and the file on disk</source>
            <translation>編集中の内容とディスク上のファイル</translation>
        </message>
        <message>
            <source>on disk</source>
            <translation>ディスク上</translation>
        </message>
        <message>
            <source>yours</source>
            <translation>編集中の内容</translation>
        </message>
        <message>
            <source>New Draft</source>
            <translation>新しい下書き</translation>
        </message>
        <message>
            <source>Title:</source>
            <translation>タイトル:</translation>
        </message>
        <message>
            <source>File slug (ASCII):</source>
            <translation>ファイル名のスラッグ（半角英数字）:</translation>
        </message>
        <message>
            <source>Untitled</source>
            <translation>無題</translation>
        </message>
        <message>
            <source>line</source>
            <translation>行</translation>
        </message>
    </context>
    <context>
        <name>ResultsModel</name>
        <message>
            <source>File</source>
            <translation>ファイル</translation>
        </message>
        <message>
            <source>Line</source>
            <translation>行</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>ルール</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>重大度</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>メッセージ</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>エラー</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Information</source>
            <translation>情報</translation>
        </message>
    </context>
    <context>
        <name>TagsField</name>
        <message>
            <source>“%1” looks like the known tag “%2”</source>
            <translation>「%1」は既存のタグ「%2」と似ています</translation>
        </message>
        <message>
            <source>%1 of at most %2 tags</source>
            <translation>タグ %1 / 最大 %2 個</translation>
        </message>
    </context>
    <context>
        <name>TextField</name>
        <message>
            <source>%1 / %2 characters</source>
            <translation>%1 / %2 文字</translation>
        </message>
    </context>
</TS>
