package dev.leakscope.kernel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A front end that records what an evaluator sends, for tests. */
final class RecordingFrontEnd implements FrontEnd {

    record Event(String kind, String text, Map<String, String> bundle, String displayId) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void stdout(String text) {
        events.add(new Event("stdout", text, null, null));
    }

    @Override
    public void stderr(String text) {
        events.add(new Event("stderr", text, null, null));
    }

    @Override
    public void display(Map<String, String> bundle, String displayId) {
        events.add(new Event("display", null, bundle, displayId));
    }

    @Override
    public void updateDisplay(Map<String, String> bundle, String displayId) {
        events.add(new Event("update", null, bundle, displayId));
    }

    @Override
    public void clearOutput(boolean wait) {
        events.add(new Event("clear", null, null, null));
    }

    String stdout() {
        StringBuilder b = new StringBuilder();
        events.stream().filter(e -> e.kind().equals("stdout")).forEach(e -> b.append(e.text()));
        return b.toString();
    }

    String stderr() {
        StringBuilder b = new StringBuilder();
        events.stream().filter(e -> e.kind().equals("stderr")).forEach(e -> b.append(e.text()));
        return b.toString();
    }

    long count(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).count();
    }

    List<Event> of(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    void clear() {
        events.clear();
    }
}
