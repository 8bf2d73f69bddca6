package dev.leakscope.metrics;

/** Prometheus could not be reached or answered an error: carries the URL and Prometheus' own error text. */
public class PrometheusError extends RuntimeException {

    private final String url;
    private final String errorType;
    private final String error;

    public PrometheusError(String url, String errorType, String error) {
        super("Prometheus at " + url + " answered " + errorType + ": " + error);
        this.url = url;
        this.errorType = errorType;
        this.error = error;
    }

    public PrometheusError(String url, String message, Throwable cause) {
        super("cannot reach Prometheus at " + url + ": " + message, cause);
        this.url = url;
        this.errorType = "unreachable";
        this.error = message;
    }

    /** The URL asked. */
    public String url() {
        return url;
    }

    /** Prometheus' errorType (bad_data, execution, timeout…), "http NNN", or "unreachable". */
    public String errorType() {
        return errorType;
    }

    /** Prometheus' error text. */
    public String error() {
        return error;
    }
}
