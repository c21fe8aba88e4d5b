const mssql = require("mssql");
const bus = require("./bus");
const { EventEmitter } = require("events");

process.on("unhandledRejection", (reason) => console.error(reason));

// Registered once, when the module loads.
// ok: js-module-listener-per-call
mssql.on("error", (err) => console.error("mssql", err));

exports.query = function (connectionString, text) {
    return new Promise((resolve, reject) => {
        // ruleid: js-module-listener-per-call
        mssql.on("error", (err) => reject(err));
        mssql.connect(connectionString).then((pool) => pool.request().query(text)).then(resolve, reject);
    });
};

async function watch(monitor) {
    // ruleid: js-module-listener-per-call
    bus.on("beat", (beat) => monitor.record(beat));
}

function perConnection(pool) {
    // A listener on the object this call was given goes away with it.
    // ok: js-module-listener-per-call
    pool.on("error", (err) => console.error(err));
}

function perEmitter() {
    const local = new EventEmitter();
    // ok: js-module-listener-per-call
    local.on("done", () => {});
    return local;
}

function onShutdown(handler) {
    // ok: js-module-listener-per-call
    process.on("SIGTERM", handler);
}

module.exports = { watch, perConnection, perEmitter, onShutdown };

// Start-up steps run once, by their name or as the decorator a module exports.
Analytics.init = async function () {
    // ok: js-module-listener-per-call
    bus.on("analytics:publish", (data) => Analytics.merge(data));
};

module.exports = function (Posts) {
    // ok: js-module-listener-per-call
    bus.on("post:edit", (pid) => Posts.clearCachedPost(pid));
};

exports.initialise = function () {
    // ok: js-module-listener-per-call
    bus.on("config:update", reload);
};
