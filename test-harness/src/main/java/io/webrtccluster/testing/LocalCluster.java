package io.webrtccluster.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Kubernetes control plane on loopback (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok with one fake node whose pods become Running), started by
 * {@code k8s/local-cluster/up.sh} into a fresh state directory under {@code target/}. The binaries are
 * built once by {@code install.sh} into {@code ${WRC_CACHE:-~/.cache/webrtc-cluster}}.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(45);
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration KUBECTL_TIMEOUT = Duration.ofMinutes(2);
    private static LocalCluster shared;

    private final Path scripts;
    private final Path stateDir;
    private final Path kubeconfig;
    private final String apiServerUrl;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private LocalCluster(Path scripts, Path stateDir, String apiServerUrl) {
        this.scripts = scripts;
        this.stateDir = stateDir;
        this.kubeconfig = stateDir.resolve("kubeconfig");
        this.apiServerUrl = apiServerUrl;
        // A test that dies before close() must not leave an apiserver running.
        this.shutdownHook = new Thread(this::stop, "local-cluster-down");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Installs the binaries if missing, then starts a new cluster; the caller closes it. */
    public static LocalCluster start() {
        Path scripts = scriptsDir();
        install(scripts);
        try {
            return up(scripts);
        } catch (IllegalStateException firstTry) {
            // up.sh picks free ports by looking, so another process can take one before it binds: retry once.
            System.err.println("local cluster did not start, retrying once: " + firstTry.getMessage());
            return up(scripts);
        }
    }

    private static LocalCluster up(Path scripts) {
        try {
            Path target = Path.of("target").toAbsolutePath();
            Files.createDirectories(target);
            Path state = Files.createTempDirectory(target, "local-cluster-");
            Path log = Files.createDirectories(target.resolve("process-logs")).resolve(state.getFileName() + "-up.log");
            Result up = run(List.of(scripts.resolve("up.sh").toString(), state.toString()), null, log, UP_TIMEOUT);
            if (up.exit != 0) {
                throw new IllegalStateException("up.sh failed (exit " + up.exit + "), logs in " + state.resolve("logs")
                        + ":\n" + Files.readString(log));
            }
            Properties env = new Properties();
            try (var in = Files.newBufferedReader(state.resolve("env"))) {
                env.load(in);
            }
            return new LocalCluster(scripts, state, env.getProperty("API_SERVER_URL"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One cluster for the whole JVM, stopped when the JVM exits: test classes that only need an API
     * server share its start-up cost. They must not assume an empty cluster (use their own namespace).
     */
    public static synchronized LocalCluster shared() {
        if (shared == null || shared.closed.get()) {
            shared = start();
        }
        return shared;
    }

    /** Runs install.sh (a no-op when the binaries are cached), showing its progress on this JVM's stderr. */
    public static void install() {
        install(scriptsDir());
    }

    private static void install(Path scripts) {
        // Inherited output: a cold build takes many minutes and should show its progress live.
        ProcessBuilder pb = new ProcessBuilder(scripts.resolve("install.sh").toString()).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            if (!p.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("install.sh timed out after " + INSTALL_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("install.sh failed (exit " + p.exitValue() + "), see its output above");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted installing the local cluster", e);
        }
    }

    /** Admin kubeconfig (client certificate in system:masters). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public String apiServerUrl() {
        return apiServerUrl;
    }

    /** Where up.sh keeps pki/, logs/ (one log per component) and run/ (pid files). */
    public Path stateDir() {
        return stateDir;
    }

    /**
     * A kubeconfig that authenticates only as the given (existing) ServiceAccount, with a bound token
     * from {@code kubectl create token}: it can do exactly what RBAC grants that account.
     */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount) {
        String token = kubectl("create", "token", serviceAccount, "-n", namespace, "--duration=24h").trim();
        String ca;
        try {
            ca = Base64.getEncoder().encodeToString(Files.readAllBytes(stateDir.resolve("pki/ca.crt")));
            Path file = stateDir.resolve("sa-" + namespace + "-" + serviceAccount + ".kubeconfig");
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: local
                      cluster:
                        server: %s
                        certificate-authority-data: %s
                    users:
                    - name: %s
                      user:
                        token: %s
                    contexts:
                    - name: local
                      context: {cluster: local, user: %s, namespace: %s}
                    current-context: local
                    """.formatted(apiServerUrl, ca, serviceAccount, token, serviceAccount, namespace));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs kubectl as cluster admin and returns its stdout; throws with stderr when it fails. */
    public String kubectl(String... args) {
        return kubectlAs(kubeconfig, null, args);
    }

    /** kubectl as admin with {@code stdin} piped in, e.g. {@code kubectlWithInput(yaml, "apply", "-f", "-")}. */
    public String kubectlWithInput(String stdin, String... args) {
        return kubectlAs(kubeconfig, stdin, args);
    }

    /** kubectl with another kubeconfig (e.g. from {@link #serviceAccountKubeconfig}); throws on failure. */
    public String kubectlAs(Path kubeconfig, String stdin, String... args) {
        KubectlResult r = tryKubectlAs(kubeconfig, stdin, args);
        if (r.exit() != 0) {
            throw new KubectlException(List.of(args), r);
        }
        return r.stdout();
    }

    /** kubectl whose failure is an expected outcome (e.g. a Forbidden check): the caller reads exit and stderr. */
    public KubectlResult tryKubectlAs(Path kubeconfig, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig));
        cmd.addAll(List.of(args));
        try {
            Path err = Files.createTempFile("kubectl-", ".err");
            Path out = Files.createTempFile("kubectl-", ".out");
            try {
                Result r = run(cmd, stdin, out, err, KUBECTL_TIMEOUT);
                return new KubectlResult(r.exit, Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every process up.sh started (by pid) and removes the state directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran: nothing to remove
        }
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            keepLogs();
            Path log = Files.createTempFile("local-cluster-down-", ".log");
            Result r = run(List.of(scripts.resolve("down.sh").toString(), stateDir.toString()), null, log,
                    Duration.ofMinutes(1));
            if (r.exit != 0) {
                System.err.println("down.sh failed (exit " + r.exit + "):\n" + Files.readString(log));
            }
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** down.sh removes the state dir: the component logs move to target/process-logs for post-mortems. */
    private void keepLogs() throws IOException {
        Path logs = stateDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        Path dest = stateDir.getParent().resolve("process-logs").resolve(stateDir.getFileName());
        Files.createDirectories(dest);
        try (var files = Files.list(logs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dest.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The directory holding the cluster scripts, found by walking up from the working directory. */
    static Path scriptsDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("k8s").resolve("local-cluster");
            if (Files.isRegularFile(candidate.resolve("up.sh"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no k8s/local-cluster above " + Path.of("").toAbsolutePath());
    }

    public record KubectlResult(int exit, String stdout, String stderr) {
    }

    /** A kubectl call that failed; the message carries its stderr (e.g. "Forbidden"). */
    public static final class KubectlException extends RuntimeException {
        private final transient KubectlResult result;

        KubectlException(List<String> args, KubectlResult result) {
            super("kubectl " + String.join(" ", args) + " failed (exit " + result.exit() + "): " + result.stderr());
            this.result = result;
        }

        public KubectlResult result() {
            return result;
        }
    }

    private record Result(int exit) {
    }

    private static Result run(List<String> cmd, String stdin, Path log, Duration timeout) {
        return run(cmd, stdin, log, null, timeout);
    }

    /** Runs a command to completion; stdout to {@code out}, stderr to {@code err} (or merged when null). */
    private static Result run(List<String> cmd, String stdin, Path out, Path err, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile());
        if (err == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        try {
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(cmd + " timed out after " + timeout);
            }
            return new Result(p.exitValue());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }
}
