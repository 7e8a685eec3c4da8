package dev.cairn.ledger.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.ledger.ChainCheck;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.RuleException;
import dev.cairn.ledger.SealingKeys;

/**
 * The command line of {@code cairn-verify.jar}, which {@code bin/cairn} calls:
 *
 * <pre>
 * verify-export FILE [--genesis HASH] [--keys FILE] [--threads N]
 * monitor URL REGISTER_ID --state FILE [--genesis HASH] [--keys FILE]   (token in CAIRN_TOKEN)
 * </pre>
 *
 * Exit codes: 0 verified, 1 the register fails verification, 2 bad usage or input, 3 the
 * register could not be reached.
 */
public final class CairnVerify {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A problem with what the user gave; printed as one line, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private CairnVerify() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                throw new UsageException("usage: verify-export FILE [--genesis HASH] [--keys FILE] | monitor URL REGISTER_ID --state FILE");
            }
            Options options = Options.parse(List.of(args).subList(1, args.length));
            return switch (args[0]) {
                case "verify-export" -> verifyExport(options, out);
                case "monitor" -> new HeadMonitor(options, System.getenv("CAIRN_TOKEN"), out).run();
                default -> throw new UsageException("unknown command " + args[0] + " (verify-export or monitor)");
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (HeadMonitor.Mismatch e) {
            out.println("MISMATCH: " + e.getMessage());
            return FAILED;
        } catch (HeadMonitor.Unreachable e) {
            err.println("error: " + e.getMessage());
            return UNREACHABLE;
        } catch (IOException | RuntimeException e) {
            // unreadable input (a file, a URL, a record no verifier can read): one line, never a stack trace
            err.println("error: " + e.getMessage());
            return USAGE;
        }
    }

    private static int verifyExport(Options options, PrintStream out) throws IOException {
        if (options.positional().size() != 1) {
            throw new UsageException("usage: verify-export FILE.jsonl [--genesis HASH] [--keys FILE]   (FILE may be - for standard input)");
        }
        String file = options.positional().get(0);
        Reader in;
        try {
            in = "-".equals(file) ? new InputStreamReader(System.in, StandardCharsets.UTF_8) : Files.newBufferedReader(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        }
        ChainCheck.Result result;
        try (BufferedReader lines = new BufferedReader(in, 1 << 16)) {
            result = new ExportVerifier(options.genesis(), options.keys(), options.threads()).check(lines);
        }
        print(result, options, out);
        return result.ok() ? OK : FAILED;
    }

    static void print(ChainCheck.Result result, Options options, PrintStream out) {
        if (!result.ok()) {
            out.printf("FAILED at height %d: %s%n", result.height(), result.reason());
            return;
        }
        out.printf("OK: register %s, %d dockets (heights 0..%d), %d transactions, docket tree head %s%n", result.registerId(),
                result.dockets(), result.height(), result.transactions(), result.treeHead());
        if (options.genesis() == null && options.keys() == null) {
            out.printf("Trusted without being told: genesis docket %s, sealing keys %s. Compare them with the register's operator%n",
                    result.genesisHash(), describe(result.genesisKeys()));
            out.println("(or pass --genesis HASH or --keys FILE to have them checked).");
        }
        if (!result.sealingKeys().equals(result.genesisKeys())) {
            out.printf("Sealing keys now in force: %s%n", describe(result.sealingKeys()));
        }
    }

    static String describe(SealingKeys keys) {
        return keys.keys().stream().map(k -> k.id() + " (" + k.algorithm() + " " + k.publicKey() + ")").collect(Collectors.joining(", "));
    }

    /** Options: {@code --name value} pairs, the rest positional. */
    record Options(List<String> positional, String genesis, SealingKeys keys, String state, int threads) {

        static Options parse(List<String> args) {
            List<String> positional = new ArrayList<>();
            String genesis = null;
            SealingKeys keys = null;
            String state = null;
            int threads = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("--")) {
                    positional.add(arg);
                    continue;
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a value");
                }
                String value = args.get(++i);
                switch (arg) {
                    case "--genesis" -> {
                        if (!LedgerHashes.isHash(value)) {
                            throw new UsageException("--genesis must be a docket hash: 64 lower-case hex digits");
                        }
                        genesis = value;
                    }
                    case "--keys" -> keys = readKeys(value);
                    case "--state" -> state = value;
                    case "--threads" -> {
                        try {
                            threads = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new UsageException("--threads must be a number");
                        }
                        if (threads < 1 || threads > 256) {
                            throw new UsageException("--threads must be between 1 and 256");
                        }
                    }
                    default -> throw new UsageException("unknown option " + arg);
                }
            }
            return new Options(positional, genesis, keys, state, threads);
        }

        /** A key file: {@code [{id, algorithm, publicKey}]}, or an object holding such an array as {@code sealingKeys}. */
        static SealingKeys readKeys(String file) {
            JsonNode node;
            try {
                node = JSON.readTree(Files.readString(Path.of(file)));
            } catch (IOException e) {
                throw new UsageException("cannot read the key file " + file + ": " + e.getMessage());
            } catch (JacksonException e) {
                throw new UsageException("the key file " + file + " is not JSON");
            }
            JsonNode array = node.isObject() ? node.path(SealingKeys.FIELD) : node;
            try {
                SealingKeys keys = SealingKeys.parse(array, "the key file");
                if (keys.keys().isEmpty()) {
                    throw new UsageException("the key file " + file + " lists no key");
                }
                return keys;
            } catch (RuleException e) {
                throw new UsageException(e.getMessage() + " (" + file + ")");
            }
        }
    }
}
