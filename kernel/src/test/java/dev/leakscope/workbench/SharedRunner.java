package dev.leakscope.workbench;

/** One runner per test JVM, as in the workbench: the evaluator owns System.out/err and the progress listener. */
final class SharedRunner {
    private static CellRunner instance;

    private SharedRunner() {
    }

    static synchronized CellRunner get() {
        if (instance == null) {
            instance = Workbench.newRunner();
        }
        return instance;
    }
}
