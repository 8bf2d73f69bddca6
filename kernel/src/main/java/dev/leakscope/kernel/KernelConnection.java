package dev.leakscope.kernel;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

/**
 * The basekernel's connection (heartbeat, iopub, stdin sockets, HMAC signing, message parsing) with our own shell
 * and control sockets: they block in {@code poll} until a message arrives instead of the published loop's
 * {@code poll(0)} + 50 ms sleep per round, and a message with a wrong HMAC signature (or unreadable JSON) is
 * logged and dropped instead of ending the socket's thread.
 */
final class KernelConnection extends JupyterConnection {

    private static final Logger LOG = Logger.getLogger(KernelConnection.class.getName());

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final BlockingShell shellSocket;
    private final BlockingShell controlSocket;

    KernelConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        this.shellSocket = new BlockingShell(context, hmac, false, this);
        this.controlSocket = new BlockingShell(context, hmac, true, this);
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        iopub.bind(props);
        stdin.bind(props);
        controlSocket.bind(props);
        shellSocket.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    /** Messages dropped because their signature was wrong (for tests and the log). */
    long rejected() {
        return shellSocket.rejected + controlSocket.rejected;
    }

    @Override
    public void close() {
        shellSocket.close();
        controlSocket.close();
        context.close();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        shellSocket.waitUntilClose();
        controlSocket.waitUntilClose();
    }

    /** A ROUTER socket served by one thread that sleeps in poll until a message arrives. */
    static final class BlockingShell extends ShellChannel {
        private final boolean control;
        private final JupyterConnection connection;
        private volatile boolean running;
        private volatile Thread thread;
        volatile long rejected;

        BlockingShell(ZMQ.Context ctx, HMACGenerator hmac, boolean control, JupyterConnection connection) {
            super(ctx, hmac, control, connection, 0);
            this.control = control;
            this.connection = connection;
        }

        @Override
        public void bind(KernelConnectionProperties p) {
            String addr = formatAddress(p.getTransport(), p.getIp(), control ? p.getControlPort() : p.getShellPort());
            super.bind(addr);
            running = true;
            thread = new Thread(this::serve, control ? "jupyter-control" : "jupyter-shell");
            thread.start();
        }

        private void serve() {
            ZMQ.Poller poller = ctx.poller(1);
            poller.register(this, ZMQ.Poller.POLLIN);
            try {
                while (running) {
                    if (poller.poll(200) <= 0 || !poller.pollin(0)) {
                        continue;
                    }
                    handleOne();
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.log(Level.SEVERE, Thread.currentThread().getName() + " stopped", e);
                }
            } finally {
                poller.close();
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void handleOne() {
            Message<?> message;
            try {
                message = readMessage();
            } catch (SecurityException e) {
                rejected++;
                LOG.warning(Thread.currentThread().getName() + ": rejected a message with a wrong HMAC signature");
                return;
            } catch (RuntimeException e) {
                LOG.warning(Thread.currentThread().getName() + ": dropped an unreadable message: " + e);
                return;
            }
            if (message == null) {
                return;
            }
            ShellHandler handler = connection.getHandler(message.getHeader().getType());
            if (handler == null) {
                LOG.fine("no handler for " + message.getHeader().getType().getName());
                return;
            }
            ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
            try {
                handler.handle(env, message);
            } catch (Exception | LinkageError e) {
                LOG.log(Level.SEVERE, "handling " + message.getHeader().getType().getName() + " failed", e);
            } finally {
                try {
                    env.resolveDeferrals();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "deferred replies failed", e);
                }
            }
        }

        @Override
        public void close() {
            running = false;
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.close();
        }

        @Override
        public void waitUntilClose() {
            Thread t = thread;
            if (t != null) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
