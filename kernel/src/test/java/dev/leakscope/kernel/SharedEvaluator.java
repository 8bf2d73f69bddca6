package dev.leakscope.kernel;

/** One evaluator per test JVM: System.out/err and the progress listener are process-wide (the workbench tests share it). */
public final class SharedEvaluator {
    private static Evaluator instance;

    private SharedEvaluator() {
    }

    public static synchronized Evaluator get() {
        if (instance == null) {
            instance = new Evaluator(FrontEnd.NONE);
        }
        return instance;
    }
}
