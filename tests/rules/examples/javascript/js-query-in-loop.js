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

export async function savePanels(pageId, panels) {
  for (const panel of panels) {
    let row;
    if (panel.id) {
      // Find-or-create of each item being saved: the read half of a per-item write.
      // ok: js-query-in-loop
      row = await R.findOne("panel", " id = ? AND page_id = ? ", [panel.id, pageId]);
    } else {
      row = R.dispense("panel");
    }
    row.title = panel.title;
    await R.store(row);
  }
}

export async function panelOwners(panels) {
  const owners = [];
  for (const panel of panels) {
    let row;
    if (panel.ownerId) {
      // A lookup per item, with nothing written back: an N+1 read.
      // ruleid: js-query-in-loop
      row = await R.findOne("user", " id = ? ", [panel.ownerId]);
    }
    owners.push(row);
  }
  return owners;
}
