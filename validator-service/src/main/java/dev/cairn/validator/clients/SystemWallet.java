package dev.cairn.validator.clients;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.validator.config.ValidatorProperties;

/**
 * The validators' own wallets in the wallet service. The first, named
 * {@code system-wallet.name}, signs genesis transactions and opens the validator copy of every
 * workflow step; it and each later sealing key generation ({@code <name>-2}, {@code <name>-3},
 * ...) sign dockets and tree heads of the registers that trust them. The wallet service creates
 * a wallet on the first request of any replica and hands every replica the same one; private
 * keys never leave it. The generations are listed in the {@code sealing_keys} collection, so
 * that every replica knows them.
 */
@Component
public class SystemWallet {

    /** A wallet of the validators: its generation, address and the sealing key it holds. */
    public record Wallet(int generation, String name, String address, SealingKeys.Key key, Instant createdAt) {
    }

    private static final Duration LISTED_FOR = Duration.ofSeconds(10);

    private final ServiceHttp http;
    private final JsonMapper json;
    private final ValidatorProperties.SystemWallet settings;
    private final MongoCollection<Document> generations;
    private final Clock clock;
    private final Map<Integer, Wallet> wallets = new ConcurrentHashMap<>();
    private volatile List<Wallet> listed;
    private volatile Instant listedAt = Instant.EPOCH;

    public SystemWallet(ValidatorProperties properties, ServiceTokenClient tokens, JsonMapper json, MongoDatabaseFactory databases,
            Clock clock) {
        this.http = new ServiceHttp("wallet-service", properties.walletUris(), tokens, json);
        this.json = json;
        this.settings = properties.systemWallet();
        this.generations = databases.getMongoDatabase().getCollection("sealing_keys");
        this.clock = clock;
    }

    /** The wallet of a sealing key generation (1 is the system wallet itself), creating it on first use. */
    public Wallet generation(int generation) {
        return wallets.computeIfAbsent(generation, g -> fetch(g, null));
    }

    /** Every generation, oldest first. */
    public List<Wallet> wallets() {
        List<Wallet> current = listed;
        if (current == null || clock.instant().isAfter(listedAt.plus(LISTED_FOR))) {
            current = refresh();
        }
        return current;
    }

    /** The newest generation, as listed now (another replica may have just made one): the key new registers pin. */
    public Wallet newest() {
        List<Wallet> all = refresh();
        return all.get(all.size() - 1);
    }

    /** Every generation, oldest first, as listed now. */
    public List<Wallet> listed() {
        return refresh();
    }

    /** The newest of the validators' wallets whose key is among {@code keys}. */
    public Optional<Wallet> holderOf(SealingKeys keys) {
        Optional<Wallet> holder = newestIn(wallets(), keys);
        return holder.isPresent() ? holder : newestIn(refresh(), keys); // another replica may have made a generation
    }

    /** The validators' wallet with this address, if it is one. */
    public Optional<Wallet> byAddress(String address) {
        Optional<Wallet> found = wallets().stream().filter(w -> w.address().equals(address)).findFirst();
        return found.isPresent() ? found : refresh().stream().filter(w -> w.address().equals(address)).findFirst();
    }

    /** Makes the next generation's wallet; replicas making one at the same moment make one each, in turn. */
    public Wallet createGeneration() {
        while (true) {
            List<Wallet> all = refresh();
            int next = all.get(all.size() - 1).generation() + 1;
            generation(next); // the wallet first, so that a listed generation always has one
            try {
                generations.insertOne(new Document("_id", next).append("createdAt", Date.from(clock.instant())));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                refresh();
                continue;
            }
            refresh();
            return generation(next);
        }
    }

    private static Optional<Wallet> newestIn(List<Wallet> wallets, SealingKeys keys) {
        for (int i = wallets.size() - 1; i >= 0; i--) {
            if (keys.contains(wallets.get(i).key())) {
                return Optional.of(wallets.get(i));
            }
        }
        return Optional.empty();
    }

    private List<Wallet> refresh() {
        List<Wallet> all = new ArrayList<>();
        all.add(generation(1));
        for (Document d : generations.find().sort(Sorts.ascending("_id"))) {
            int generation = ((Number) d.get("_id")).intValue();
            if (generation > 1) {
                Instant created = d.getDate("createdAt").toInstant();
                try {
                    Wallet wallet = wallets.computeIfAbsent(generation, g -> fetch(g, created));
                    if (wallet.createdAt() == null) {
                        wallet = new Wallet(wallet.generation(), wallet.name(), wallet.address(), wallet.key(), created);
                        wallets.put(generation, wallet);
                    }
                    all.add(wallet);
                } catch (ServiceHttp.UnreachableException e) {
                    // left out until the wallet service answers for it; the other keys keep sealing
                }
            }
        }
        listed = List.copyOf(all);
        listedAt = clock.instant();
        return listed;
    }

    private Wallet fetch(int generation, Instant createdAt) {
        String name = generation == 1 ? settings.name() : settings.name() + "-" + generation;
        ServiceHttp.Answer answer = http.put("/api/wallets/system/" + name, Map.of("algorithm", settings.algorithm()));
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " for the system wallet " + name + ": "
                    + answer.body().path("detail").asString(""), null);
        }
        return new Wallet(generation, name, answer.body().path("address").asString(),
                SealingKeys.Key.of(answer.body().path("algorithm").asString(), answer.body().path("publicKey").asString()), createdAt);
    }

    /** The first wallet's address, creating the wallet on first use. */
    public String address() {
        return generation(1).address();
    }

    /**
     * Opens a ciphertext made for one of the validators' wallets (a workflow step's validator copy).
     *
     * @return null when the wallet cannot open it (not made for it, or altered)
     */
    public byte[] decrypt(Wallet wallet, String ciphertext) {
        ServiceHttp.Answer answer = http.post("/api/wallets/" + wallet.address() + "/decrypt", Map.of("ciphertext", ciphertext));
        if (answer.status() == 400) {
            return null;
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " decrypting", null);
        }
        return Base64.getDecoder().decode(answer.body().path("data").asString());
    }

    /** A ledger signature {@code {algorithm, publicKey, value}} by the first wallet over the 32 bytes of a hash. */
    public ObjectNode sign(String hash) {
        return sign(generation(1), hash);
    }

    /** A ledger signature {@code {algorithm, publicKey, value}} by {@code wallet} over the 32 bytes of a hash. */
    public ObjectNode sign(Wallet wallet, String hash) {
        ServiceHttp.Answer answer = http.post("/api/wallets/" + wallet.address() + "/sign",
                Map.of("data", Base64.getEncoder().encodeToString(LedgerHashes.bytes(hash))));
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " signing: "
                    + answer.body().path("detail").asString(""), null);
        }
        ObjectNode signature = json.createObjectNode();
        signature.put("algorithm", wallet.key().algorithm()).put("publicKey", wallet.key().publicKey())
                .put("value", answer.body().path("signature").asString());
        return signature;
    }
}
