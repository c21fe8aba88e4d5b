function showOwner(owner: any) {
    // ruleid: ts-html-built-from-strings
    $(".selected").prepend('<li class="choice">' + owner.text + "</li>");
}

function showError(message: any) {
    // ruleid: ts-html-built-from-strings
    $("#status").html("<span class=\"error\">" + message + "</span>");
}

function showRows(rows: any) {
    for (const row of rows) {
        // ruleid: ts-html-built-from-strings
        $("#list").append("<tr><td>" + row["name"] + "</td><td>" + rows.length + "</td></tr>");
    }
}

function showOwnerSafely(owner: any) {
    // ok: ts-html-built-from-strings
    $(".selected").prepend($('<li class="choice">').text(owner.text));
}

function showEscaped(owner: any) {
    // ok: ts-html-built-from-strings
    $(".selected").prepend('<li class="choice">' + _.escape(owner.text) + "</li>");
}

function showCount(items: any) {
    // A count is a number: nothing to escape.
    // ok: ts-html-built-from-strings
    $("#count").html("<b>" + items.length + "</b> items");
}

function showFixed(: any) {
    // ok: ts-html-built-from-strings
    $("#hint").html("<em>" + "Saved" + "</em>");
}

function appendText(name: any) {
    // Not markup: a plain label.
    // ok: ts-html-built-from-strings
    $("#label").append("Owner: " + name);
}
