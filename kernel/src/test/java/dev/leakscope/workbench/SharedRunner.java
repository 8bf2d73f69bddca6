package dev.leakscope.workbench;

import dev.leakscope.kernel.SharedEvaluator;

/** The workbench's runner over the test JVM's one evaluator (shared with the kernel tests, as in a real process). */
final class SharedRunner {
    private static CellRunner instance;

    private SharedRunner() {
    }

    static synchronized CellRunner get() {
        if (instance == null) {
            instance = new EvaluatorCellRunner(SharedEvaluator.get());
        }
        return instance;
    }
}
