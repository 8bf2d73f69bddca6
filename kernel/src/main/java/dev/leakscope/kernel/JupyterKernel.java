package dev.leakscope.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import dev.leakscope.Displayable;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;
import org.dflib.jjava.jupyter.messages.request.IsCompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;

/**
 * The leakscope Jupyter kernel: Jupyter messages in, {@link Evaluator} calls out. The wire protocol (sockets,
 * signing, message classes) is jupyter-jvm-basekernel's; the handlers are ours, because the published ones
 * omit {@code "status"} from kernel_info/history/interrupt/shutdown/comm_info replies, do not answer history
 * without extra work, publish one message per {@code print}, and cannot stop a running cell.
 *
 * <p>Replies are built as JSON maps so every field the protocol (5.3) asks for is there.
 */
final class JupyterKernel {

    private static final Logger LOG = Logger.getLogger(JupyterKernel.class.getName());
    static final String PROTOCOL_VERSION = "5.3";
    static final String VERSION = "0.1.0";

    private final JupyterConnection connection;
    private final CompletableFuture<Evaluator> evaluator;
    private final AtomicInteger executionCount = new AtomicInteger(0);
    private final History history = new History();
    private final JupyterFrontEnd frontEnd;
    private final CountDownLatch shutdown = new CountDownLatch(1);

    JupyterKernel(JupyterConnection connection, CompletableFuture<Evaluator> evaluator) {
        this.connection = connection;
        this.evaluator = evaluator;
        this.frontEnd = new JupyterFrontEnd(connection.getIOPub());
        evaluator.thenAccept(ev -> {
            ev.frontEnd(frontEnd);
            ev.progressView(new JupyterProgress(frontEnd));
        });
        connection.setHandler(MessageType.KERNEL_INFO_REQUEST, (env, m) -> kernelInfo(env, m));
        connection.setHandler(MessageType.EXECUTE_REQUEST, this::execute);
        connection.setHandler(MessageType.COMPLETE_REQUEST, this::complete);
        connection.setHandler(MessageType.INSPECT_REQUEST, this::inspect);
        connection.setHandler(MessageType.IS_COMPLETE_REQUEST, this::isComplete);
        connection.setHandler(MessageType.HISTORY_REQUEST, this::history);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, (env, m) -> simple(env, m, "comm_info_reply",
                map("status", "ok", "comms", Map.of())));
        connection.setHandler(MessageType.INTERRUPT_REQUEST, (env, m) -> {
            evaluator.thenAccept(Evaluator::interrupt);
            simple(env, m, "interrupt_reply", map("status", "ok"));
        });
        connection.setHandler(MessageType.SHUTDOWN_REQUEST, this::shutdown);
    }

    /** Blocks until a shutdown request arrives. */
    void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    // ---- sending -------------------------------------------------------------------------------------------

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Message<?> message(MessageContext parent, String type, Map<String, Object> content) {
        MessageType<?> t = MessageType.getType(type);
        return new Message(parent, t, content);
    }

    private static void reply(ShellReplyEnvironment env, Message<?> request, String type, Map<String, Object> content) {
        env.reply(message(request, type, content));
    }

    private void publish(MessageContext parent, String type, Map<String, Object> content) {
        connection.getIOPub().sendMessage(message(parent, type, content));
    }

    private void status(MessageContext parent, String state) {
        publish(parent, "status", map("execution_state", state));
    }

    private void simple(ShellReplyEnvironment env, Message<?> m, String type, Map<String, Object> content) {
        status(m, "busy");
        try {
            reply(env, m, type, content);
        } finally {
            status(m, "idle");
        }
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Evaluator evaluator() {
        try {
            return evaluator.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the JShell evaluator did not start: " + e, e);
        }
    }

    // ---- handlers ------------------------------------------------------------------------------------------

    private void kernelInfo(ShellReplyEnvironment env, Message<?> m) {
        simple(env, m, "kernel_info_reply", map(
                "status", "ok",
                "protocol_version", PROTOCOL_VERSION,
                "implementation", "leakscope",
                "implementation_version", VERSION,
                "language_info", map(
                        "name", "java",
                        "version", Runtime.version().toString(),
                        "mimetype", "text/x-java-source",
                        "file_extension", ".jshell",
                        "pygments_lexer", "java",
                        "codemirror_mode", "java"),
                "banner", "leakscope " + VERSION + " — Java " + Runtime.version() + " (JShell); "
                        + "import dev.leakscope.*; import tech.tablesaw.api.*; done. %lsmagic lists the magics.",
                "help_links", List.of(map("text", "leakscope", "url", "https://github.com/leakscope/leakscope")),
                "debugger", false));
    }

    private void execute(ShellReplyEnvironment env, Message<ExecuteRequest> m) {
        ExecuteRequest req = m.getContent();
        status(m, "busy");
        try {
            boolean silent = req.isSilent();
            boolean store = req.shouldStoreHistory() && !silent;
            int count = store ? executionCount.incrementAndGet() : Math.max(1, executionCount.get());
            if (!silent) {
                publish(m, "execute_input", map("code", req.getCode(), "execution_count", count));
            }
            frontEnd.parent(m, silent);
            Evaluator.Result r;
            try {
                r = evaluator().run(req.getCode());
            } catch (RuntimeException e) {
                r = Evaluator.Result.error("KernelError", e.getMessage(), List.of("KernelError: " + e.getMessage()));
            }
            String outputText = "";
            if (r.isError()) {
                if (!silent) {
                    publish(m, "error", map("ename", r.errorName(), "evalue", r.errorMessage(), "traceback", r.traceback()));
                }
                reply(env, m, "execute_reply", map("status", "error", "execution_count", count,
                        "ename", r.errorName(), "evalue", r.errorMessage(), "traceback", r.traceback()));
            } else {
                if (r.hasValue() && !silent) {
                    long t0 = System.nanoTime();
                    Map<String, String> bundle = Renderers.render(r.value());
                    outputText = bundle.getOrDefault(Displayable.TEXT, "");
                    publish(m, "execute_result", map("execution_count", count, "data", bundle, "metadata", Map.of()));
                    LOG.fine(() -> "rendered in " + (System.nanoTime() - t0) / 1000 + " µs");
                }
                List<Object> payload = new ArrayList<>();
                if (r.page() != null) {
                    payload.add(map("source", "page", "data", r.page(), "start", 0));
                }
                reply(env, m, "execute_reply", map("status", "ok", "execution_count", count,
                        "payload", payload, "user_expressions", Map.of()));
            }
            if (store) {
                history.add(count, req.getCode(), outputText);
            }
        } finally {
            status(m, "idle");
        }
    }

    private void complete(ShellReplyEnvironment env, Message<CompleteRequest> m) {
        CompleteRequest req = m.getContent();
        status(m, "busy");
        try {
            Evaluator.Completion c = evaluator().complete(req.getCode(), clamp(req.getCursorPos(), req.getCode()));
            reply(env, m, "complete_reply", map("status", "ok", "matches", c.matches(),
                    "cursor_start", c.start(), "cursor_end", c.end(), "metadata", Map.of()));
        } finally {
            status(m, "idle");
        }
    }

    private static int clamp(int pos, String code) {
        return Math.max(0, Math.min(pos, code.length()));
    }

    private void inspect(ShellReplyEnvironment env, Message<InspectRequest> m) {
        InspectRequest req = m.getContent();
        status(m, "busy");
        try {
            List<Evaluator.Documentation> docs = evaluator().inspect(req.getCode(), clamp(req.getCursorPos(), req.getCode()));
            reply(env, m, "inspect_reply", map("status", "ok", "found", !docs.isEmpty(),
                    "data", docs.isEmpty() ? Map.of() : Inspection.bundle(docs), "metadata", Map.of()));
        } finally {
            status(m, "idle");
        }
    }

    private void isComplete(ShellReplyEnvironment env, Message<IsCompleteRequest> m) {
        status(m, "busy");
        try {
            Evaluator.Completeness c = evaluator().isComplete(m.getContent().getCode());
            Map<String, Object> content = switch (c) {
                case COMPLETE -> map("status", "complete");
                case INCOMPLETE -> map("status", "incomplete", "indent", "");
                case INVALID -> map("status", "invalid");
            };
            reply(env, m, "is_complete_reply", content);
        } finally {
            status(m, "idle");
        }
    }

    private void history(ShellReplyEnvironment env, Message<HistoryRequest> m) {
        HistoryRequest req = m.getContent();
        List<History.Entry> entries;
        if (req instanceof HistoryRequest.Tail tail) {
            entries = history.tail(tail.getMaxReturnLength());
        } else if (req instanceof HistoryRequest.Range range) {
            entries = history.range(range.getSessionIndex(), range.getStart(), range.getStop());
        } else if (req instanceof HistoryRequest.Search search) {
            entries = history.search(search.getPattern(), search.getMaxReturnLength(), search.filterUnique());
        } else {
            entries = List.of();
        }
        List<Object> rows = new ArrayList<>();
        for (History.Entry e : entries) {
            rows.add(List.of(e.session(), e.line(), req.includeOutput() ? List.of(e.input(), e.output()) : e.input()));
        }
        simple(env, m, "history_reply", map("status", "ok", "history", rows));
    }

    private void shutdown(ShellReplyEnvironment env, Message<ShutdownRequest> m) {
        boolean restart = m.getContent().isRestart();
        simple(env, m, "shutdown_reply", map("status", "ok", "restart", restart));
        evaluator.thenAccept(Evaluator::interrupt);
        shutdown.countDown();
    }

    /** Publishes what the evaluator sends, as children of the execute request being served. */
    static final class JupyterFrontEnd implements FrontEnd {
        private final JupyterSocket iopub;
        private volatile MessageContext parent;
        private volatile boolean silent;

        JupyterFrontEnd(JupyterSocket iopub) {
            this.iopub = iopub;
        }

        void parent(MessageContext p, boolean silent) {
            this.parent = p;
            this.silent = silent;
        }

        private void send(String type, Map<String, Object> content) {
            MessageContext p = parent;
            if (p == null || silent) {
                return;
            }
            try {
                iopub.sendMessage(message(p, type, content));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "publishing " + type + " failed", e);
            }
        }

        @Override
        public void stdout(String text) {
            send("stream", map("name", "stdout", "text", text));
        }

        @Override
        public void stderr(String text) {
            send("stream", map("name", "stderr", "text", text));
        }

        @Override
        public void display(Map<String, String> bundle, String displayId) {
            send("display_data", map("data", bundle, "metadata", Map.of(),
                    "transient", displayId == null ? Map.of() : Map.of("display_id", displayId)));
        }

        @Override
        public void updateDisplay(Map<String, String> bundle, String displayId) {
            send("update_display_data", map("data", bundle, "metadata", Map.of(),
                    "transient", Map.of("display_id", displayId)));
        }

        @Override
        public void clearOutput(boolean wait) {
            send("clear_output", map("wait", wait));
        }
    }

    /** Inputs (and text outputs) of this session, for history requests: tail, range and glob search. */
    static final class History {
        static final int SESSION = 1;

        record Entry(int session, int line, String input, String output) {
        }

        private final List<Entry> entries = new ArrayList<>();

        synchronized void add(int line, String input, String output) {
            entries.add(new Entry(SESSION, line, input, output == null ? "" : output));
        }

        synchronized List<Entry> tail(int n) {
            int from = Math.max(0, entries.size() - Math.max(0, n));
            return List.copyOf(entries.subList(from, entries.size()));
        }

        synchronized List<Entry> range(int session, int start, int stop) {
            if (session != SESSION && session > 0) {
                return List.of();
            }
            List<Entry> out = new ArrayList<>();
            for (Entry e : entries) {
                if (e.line() >= start && (stop <= 0 || e.line() < stop)) {
                    out.add(e);
                }
            }
            return out;
        }

        synchronized List<Entry> search(String glob, int n, boolean unique) {
            Pattern p = globToRegex(glob == null ? "*" : glob);
            List<Entry> out = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = entries.size() - 1; i >= 0; i--) {
                Entry e = entries.get(i);
                if (p.matcher(e.input()).matches() && (!unique || seen.add(e.input()))) {
                    out.add(0, e);
                }
            }
            if (n > 0 && out.size() > n) {
                return List.copyOf(out.subList(out.size() - n, out.size()));
            }
            return out;
        }

        /** sqlite GLOB, as IPython's history search: * any run, ? one char, [..] a set, [^..] its complement. */
        static Pattern globToRegex(String glob) {
            StringBuilder r = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                switch (c) {
                    case '*' -> r.append(".*");
                    case '?' -> r.append('.');
                    case '[' -> {
                        int end = glob.indexOf(']', i + 1);
                        if (end < 0) {
                            r.append("\\[");
                        } else {
                            String set = glob.substring(i + 1, end).replace("\\", "\\\\").replace("[", "\\[");
                            r.append('[').append(set).append(']');
                            i = end;
                        }
                    }
                    default -> r.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(r.toString(), Pattern.DOTALL);
        }
    }
}
