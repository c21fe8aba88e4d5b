function showOwner(owner) {
    // ruleid: js-html-built-from-strings
    $(".selected").prepend('<li class="choice">' + owner.text + "</li>");
}

function showError(message) {
    // ruleid: js-html-built-from-strings
    $("#status").html("<span class=\"error\">" + message + "</span>");
}

function showRows(rows) {
    for (const row of rows) {
        // ruleid: js-html-built-from-strings
        $("#list").append("<tr><td>" + row["name"] + "</td><td>" + rows.length + "</td></tr>");
    }
}

function showOwnerSafely(owner) {
    // ok: js-html-built-from-strings
    $(".selected").prepend($('<li class="choice">').text(owner.text));
}

function showEscaped(owner) {
    // ok: js-html-built-from-strings
    $(".selected").prepend('<li class="choice">' + _.escape(owner.text) + "</li>");
}

function showCount(items) {
    // A count is a number: nothing to escape.
    // ok: js-html-built-from-strings
    $("#count").html("<b>" + items.length + "</b> items");
}

function showFixed() {
    // ok: js-html-built-from-strings
    $("#hint").html("<em>" + "Saved" + "</em>");
}

function appendText(name) {
    // Not markup: a plain label.
    // ok: js-html-built-from-strings
    $("#label").append("Owner: " + name);
}
