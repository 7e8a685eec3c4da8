package dev.cairn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;

import static dev.cairn.benchmarks.BenchHttp.field;
import static dev.cairn.benchmarks.BenchHttp.option;
import static dev.cairn.benchmarks.BenchHttp.post;

/**
 * Signatures per second through the gateway with two wallet replicas, next to what Bouncy
 * Castle signs in this JVM in the same run. Writes docs/benchmarks/wallet.md.
 *
 * <pre>bin/cairn bench wallet [--seconds 20] [--connections 32]</pre>
 */
public final class WalletBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(90);

    private WalletBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int seconds = option(args, "--seconds", 20);
        int connections = option(args, "--connections", 32);
        if (!Wrk.available()) {
            throw new IllegalStateException("This benchmark drives load with wrk: apt-get install wrk");
        }
        Report report = new Report("Wallet: signatures per second",
                "Produced by `bin/cairn bench wallet` (dev.cairn.benchmarks.WalletBenchmark). Two wallet replicas and one of every "
                        + "other service, one gateway, embedded stores; rate limits raised so that they do not interfere.");

        Map<String, Double> inProcess = new LinkedHashMap<>();
        inProcess.put("ED25519", bouncyCastleEd25519PerSecond(Duration.ofSeconds(5)));
        inProcess.put("P256", bouncyCastleP256PerSecond(Duration.ofSeconds(5)));

        Path home = Files.createTempDirectory("cairn-bench-wallet");
        LocalCluster cluster = LocalCluster.start(ClusterSpec.builder(root).home(home).replicas(1).replicasOf("wallet-service", 2)
                .gateways(1).nginx(ClusterSpec.NginxMode.OFF).frontPort(0).mongoBackend(ClusterSpec.MongoBackend.MEMORY).freshData(true)
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "1000000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "1000000000")
                .build());
        try {
            String gateway = cluster.gatewayUrls().get(0);
            String token = BenchHttp.bootstrapAdmin(gateway);
            String body = "{\"data\":\"" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")) + "\"}";

            report.line("## Results");
            report.line("");
            report.line("Each wallet signs a 32-byte message. wrk, 2 threads, " + connections + " connections, " + seconds
                    + " s per figure, on the same two cores as the suite. Steady state: before measuring, both paths get "
                    + WARM_UP.toSeconds() + " s of the same load, because the gateway's reactive code paths need about a minute "
                    + "of traffic before the JIT has compiled them (a freshly started gateway signs at a fraction of these "
                    + "rates). In-process: Bouncy Castle on one thread of this JVM, in this run.");
            report.table("Algorithm", "Through the gateway", "p50", "p99", "errors", "One replica directly", "Bouncy Castle in-process (1 thread)",
                    "Gateway / in-process");
            for (String algorithm : inProcess.keySet()) {
                String address = field(post(gateway + "/api/wallets", token, "{\"name\":\"bench\",\"algorithm\":\"" + algorithm + "\"}"),
                        "address");
                String viaGateway = gateway + "/api/wallets/" + address + "/sign";
                String direct = LocalCluster.url(cluster.replicas("wallet-service").get(0)) + "/api/wallets/" + address + "/sign";
                Wrk.post(viaGateway, token, body, connections, WARM_UP);
                Wrk.Result g = Wrk.post(viaGateway, token, body, connections, Duration.ofSeconds(seconds));
                Wrk.post(direct, token, body, connections, WARM_UP.dividedBy(3));
                Wrk.Result d = Wrk.post(direct, token, body, connections, Duration.ofSeconds(seconds));
                double bc = inProcess.get(algorithm);
                report.row(algorithm, String.format("%.0f /s", g.requestsPerSecond()), String.format("%.1f ms", g.p50()),
                        String.format("%.1f ms", g.p99()), g.non2xx(), String.format("%.0f /s", d.requestsPerSecond()),
                        String.format("%.0f /s", bc), String.format("%.3f", g.requestsPerSecond() / bc));
                System.out.println(algorithm + " gateway: " + g.summary() + "; direct: " + d.summary());
            }
            report.line("");
            report.line("Each signature through the gateway costs, besides the signature itself: nginx-less HTTP into the gateway, the "
                    + "token check (remembered after the first use) and one Redis round trip for revocation and one for rate limits "
                    + "at the gateway, the proxy hop, and in the wallet replica the token and revocation check again and the JSON "
                    + "handling. All of it shares two cores with wrk, Redis, PostgreSQL and the other services.");
        } finally {
            cluster.close();
        }
        report.write(root.resolve("docs/benchmarks/wallet.md"));
    }

    private static double bouncyCastleEd25519PerSecond(Duration duration) {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new byte[32], 0);
        byte[] message = new byte[32];
        Ed25519Signer signer = new Ed25519Signer();
        return rate(duration, () -> {
            signer.init(true, key);
            signer.update(message, 0, message.length);
            signer.generateSignature();
        });
    }

    private static double bouncyCastleP256PerSecond(Duration duration) {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        ECPrivateKeyParameters key = new ECPrivateKeyParameters(java.math.BigInteger.valueOf(123456789),
                new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH()));
        byte[] digest = new byte[32];
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        return rate(duration, () -> {
            signer.init(true, key);
            signer.generateSignature(digest);
        });
    }

    private static double rate(Duration duration, Runnable operation) {
        long warmUpEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            operation.run();
        }
        long count = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            operation.run();
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

}
