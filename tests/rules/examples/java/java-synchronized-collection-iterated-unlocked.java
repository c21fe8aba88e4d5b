package com.acme.push;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Lists;
import com.google.common.collect.Multimap;
import com.google.common.collect.Multimaps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class WatchRegistry {
    private final Multimap<String, Watcher> watchers = Multimaps.synchronizedSetMultimap(HashMultimap.create());
    private final Map<String, Long> seen = Collections.synchronizedMap(new HashMap<>());
    private final List<String> plain = new ArrayList<>();
    private List<Watcher> late;

    public WatchRegistry() {
        late = Collections.synchronizedList(new ArrayList<>());
    }

    public void notifyAll(String key, Event event) {
        // ruleid: java-synchronized-collection-iterated-unlocked
        Collection<Watcher> current = watchers.get(key);
        for (Watcher w : current) {
            w.send(event);
        }
    }

    public void dump() {
        // ruleid: java-synchronized-collection-iterated-unlocked
        for (String key : seen.keySet()) {
            log(key);
        }
        // ruleid: java-synchronized-collection-iterated-unlocked
        for (Watcher w : late) {
            w.ping();
        }
    }

    public void notifyCopy(String key, Event event) {
        // A copy taken in one call: the loop reads the copy.
        // ok: java-synchronized-collection-iterated-unlocked
        List<Watcher> copy = Lists.newArrayList(watchers.get(key));
        for (Watcher w : copy) {
            w.send(event);
        }
    }

    public void notifyLocked(String key, Event event) {
        synchronized (watchers) {
            // ok: java-synchronized-collection-iterated-unlocked
            for (Watcher w : watchers.get(key)) {
                w.send(event);
            }
        }
    }

    public int count(String key) {
        // One call, one lock: no iteration.
        // ok: java-synchronized-collection-iterated-unlocked
        Collection<Watcher> current = watchers.get(key);
        return current.size();
    }

    public void plainLoop() {
        // Not a synchronized wrapper: another rule's business.
        // ok: java-synchronized-collection-iterated-unlocked
        for (String p : plain) {
            log(p);
        }
    }
}
