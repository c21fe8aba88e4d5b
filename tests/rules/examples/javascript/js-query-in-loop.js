export async function setSettings(type, data) {
  const keyList = Object.keys(data);
  for (const key of keyList) {
    // A settings form's keys: a handful of lookups.
    // ok: js-query-in-loop
    const bean = await R.findOne("setting", " `key` = ? ", [key]);
    bean.value = data[key];
  }
  for (const key of Object.keys(data)) {
    // ok: js-query-in-loop
    await R.findOne("setting", " `key` = ? ", [key]);
  }
}

export async function rssData(monitors) {
  const rows = await R.find("monitor", " active = 1 ");
  for (const monitor of rows) {
    // ruleid: js-query-in-loop
    const beat = await R.findOne("heartbeat", " monitor_id = ? ORDER BY time DESC ", [monitor.id]);
    monitor.status = beat.status;
  }
}
