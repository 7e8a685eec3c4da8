package dev.cairn.wallet.api;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.crypto.WalletEncryption;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.wallet.crypto.Bip39;
import dev.cairn.wallet.crypto.KeyAlgorithm;
import dev.cairn.wallet.crypto.Signatures;
import dev.cairn.wallet.crypto.WalletAddress;
import dev.cairn.wallet.crypto.WalletKeys;
import dev.cairn.keys.KeySealer;
import dev.cairn.keys.SealedKey;
import dev.cairn.wallet.keys.UnlockedKeys;
import dev.cairn.wallet.store.Wallet;
import dev.cairn.wallet.store.WalletRepository;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Wallets of users, and signing and decryption with them. A wallet belongs to the user who
 * created it; it may be used by that user, or by a service token with scope
 * {@value #SIGN_SCOPE} acting for the owner's organisation. Anyone else is told it does not exist.
 */
@Service
public class WalletService {

    public static final String SIGN_SCOPE = "wallet:sign";
    public static final String SYSTEM_SCOPE = "wallet:system";
    /** The largest data to sign, verify, encrypt or decrypt. */
    public static final int MAX_DATA = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(WalletService.class);

    /** A new wallet and, for recoverable algorithms, its mnemonic: shown once, never stored. */
    public record Created(Wallet wallet, String mnemonic) {
        @Override
        public String toString() {
            return "Created[" + wallet + "]";
        }
    }

    private final WalletRepository wallets;
    private final KeySealer sealer;
    private final UnlockedKeys unlocked;
    private final WalletChanges changes;
    private final Clock clock;

    public WalletService(WalletRepository wallets, KeySealer sealer, UnlockedKeys unlocked, WalletChanges changes, Clock clock) {
        this.wallets = wallets;
        this.sealer = sealer;
        this.unlocked = unlocked;
        this.changes = changes;
        this.clock = clock;
    }

    public Created create(Caller caller, String name, KeyAlgorithm algorithm, int wordCount, String passphrase) {
        Access.requireUser(caller);
        if (!algorithm.recoverable()) {
            WalletKeys keys = WalletKeys.generateRsa();
            try {
                return new Created(store(caller, name, keys), null);
            } finally {
                keys.destroy();
            }
        }
        String mnemonic = Bip39.generate(wordCount);
        byte[] seed = Bip39.seed(mnemonic, passphrase);
        WalletKeys keys = WalletKeys.derive(algorithm, seed);
        Arrays.fill(seed, (byte) 0);
        try {
            return new Created(store(caller, name, keys), mnemonic);
        } finally {
            keys.destroy();
        }
    }

    /**
     * The calling service's wallet of this name, created on first use. Replicas of a service
     * that ask at the same moment all get the same wallet. Its keys never leave this service;
     * there is no mnemonic to hand out.
     */
    public Wallet system(Caller caller, String name, KeyAlgorithm algorithm) {
        Access.requireScope(caller, SYSTEM_SCOPE);
        java.util.Optional<Wallet> existing = wallets.systemWallet(caller.subject(), name).flatMap(wallets::find);
        if (existing.isPresent()) {
            return existing.get();
        }
        WalletKeys keys = algorithm.recoverable() ? WalletKeys.derive(algorithm, Bip39.seed(Bip39.generate(24), null)) : WalletKeys.generateRsa();
        try {
            Wallet created = store(caller, name, keys);
            if (wallets.recordSystemWallet(caller.subject(), name, created.address(), clock.instant())) {
                return created;
            }
            wallets.deleteUnused(created.address());
            return wallets.systemWallet(caller.subject(), name).flatMap(wallets::find).orElseThrow();
        } finally {
            keys.destroy();
        }
    }

    /**
     * Recreates a wallet from its mnemonic. Recovering one's own wallet again returns it (and
     * undoes a deletion); a wallet of someone else is a conflict.
     */
    public Wallet recover(Caller caller, String mnemonic, String passphrase, KeyAlgorithm algorithm, String name) {
        Access.requireUser(caller);
        if (!algorithm.recoverable()) {
            throw ApiException.badRequest("not-recoverable", "RSA4096 wallets are not derived from a mnemonic and cannot be recovered");
        }
        byte[] seed;
        try {
            seed = Bip39.seed(mnemonic, passphrase);
        } catch (Bip39.InvalidMnemonicException e) {
            throw ApiException.badRequest("invalid-mnemonic", e.getMessage());
        }
        WalletKeys keys = WalletKeys.derive(algorithm, seed);
        Arrays.fill(seed, (byte) 0);
        try {
            Wallet existing = wallets.find(keys.address()).orElse(null);
            if (existing != null) {
                if (!existing.ownerId().equals(caller.subject())) {
                    throw ApiException.conflict("wallet-exists", "This wallet belongs to another account");
                }
                if (!existing.active()) {
                    wallets.updateDetails(existing.address(), name, existing.tags(), Wallet.ACTIVE, clock.instant());
                    changes.changed(existing.address());
                }
                return wallets.find(existing.address()).orElseThrow();
            }
            return store(caller, name, keys);
        } finally {
            keys.destroy();
        }
    }

    private Wallet store(Caller caller, String name, WalletKeys keys) {
        String address = keys.address();
        SealedKey sealed = sealer.seal(address, keys.privateKey());
        Instant now = clock.instant();
        Wallet wallet = new Wallet(address, caller.subject(), caller.orgId(), name, List.of(), keys.algorithm(), keys.publicKey(),
                keys.derivationPath(), sealed, Wallet.ACTIVE, now, now);
        if (!wallets.insert(wallet)) {
            throw ApiException.conflict("wallet-exists", "A wallet with this address exists already");
        }
        log.info("Created {} wallet {} for {}", keys.algorithm(), address, caller.subject());
        return wallet;
    }

    /** A wallet the caller may use; otherwise 404 (also for malformed addresses: 400). */
    public Wallet get(Caller caller, String address) {
        return usable(caller, address).wallet();
    }

    public List<Wallet> list(Caller caller, int page, int size) {
        Access.requireUser(caller);
        return wallets.byOwner(caller.subject(), page * size, size);
    }

    public long count(Caller caller) {
        return wallets.countByOwner(caller.subject());
    }

    public Wallet update(Caller caller, String address, String name, List<String> tags) {
        Wallet wallet = owned(caller, address);
        wallets.updateDetails(address, name != null ? name : wallet.name(), tags != null ? tags : wallet.tags(), Wallet.ACTIVE, clock.instant());
        changes.changed(address);
        return wallets.find(address).orElseThrow();
    }

    /** Soft delete: the wallet can no longer sign or decrypt; its owner can recover it. */
    public void delete(Caller caller, String address) {
        Wallet wallet = owned(caller, address);
        wallets.updateDetails(address, wallet.name(), wallet.tags(), Wallet.DELETED, clock.instant());
        changes.changed(address);
    }

    public byte[] sign(Caller caller, String address, byte[] data, boolean preHashed) {
        UnlockedKeys.Unlocked key = usable(caller, address);
        try {
            return Signatures.sign(key.wallet().algorithm(), key.privateKey(), data, preHashed);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-data", e.getMessage());
        }
    }

    public byte[] decrypt(Caller caller, String address, byte[] ciphertext) {
        UnlockedKeys.Unlocked key = usable(caller, address);
        try {
            return WalletEncryption.decrypt(key.wallet().algorithm().name(), key.privateKey(), key.wallet().publicKey(), ciphertext);
        } catch (WalletEncryption.DecryptionException e) {
            throw ApiException.badRequest("undecryptable", e.getMessage());
        }
    }

    /** Anyone authenticated may encrypt to an active wallet: only its owner can decrypt. */
    public byte[] encrypt(String address, byte[] data) {
        Wallet wallet = existing(address);
        return WalletEncryption.encrypt(wallet.algorithm().name(), wallet.publicKey(), data);
    }

    /** A wallet's public key is public: anyone authenticated may read it, to encrypt to the wallet or check its signatures. */
    public Wallet publicKey(String address) {
        return existing(address);
    }

    /** Verification needs no private key; by address it uses the wallet's public key. */
    public boolean verify(String address, byte[] publicKey, KeyAlgorithm algorithm, byte[] data, byte[] signature, boolean preHashed) {
        if (address != null) {
            Wallet wallet = existing(address);
            if (algorithm != null && algorithm != wallet.algorithm()) {
                throw ApiException.badRequest("algorithm-mismatch", "The wallet's algorithm is " + wallet.algorithm());
            }
            algorithm = wallet.algorithm();
            publicKey = wallet.publicKey();
        }
        try {
            return Signatures.verify(algorithm, publicKey, data, signature, preHashed);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-data", e.getMessage());
        }
    }

    private Wallet existing(String address) {
        checkAddress(address);
        Wallet wallet = wallets.find(address).orElseThrow(() -> ApiException.notFound("Wallet " + address));
        if (!wallet.active()) {
            throw ApiException.notFound("Wallet " + address);
        }
        return wallet;
    }

    private Wallet owned(Caller caller, String address) {
        Access.requireUser(caller);
        Wallet wallet = existing(address);
        if (!wallet.ownerId().equals(caller.subject())) {
            throw ApiException.notFound("Wallet " + address);
        }
        return wallet;
    }

    /** The wallet with its opened key, if the caller may use it. */
    private UnlockedKeys.Unlocked usable(Caller caller, String address) {
        checkAddress(address);
        UnlockedKeys.Unlocked key = unlocked.get(address, this::open);
        if (key == null || !mayUse(caller, key.wallet())) {
            throw ApiException.notFound("Wallet " + address);
        }
        return key;
    }

    private UnlockedKeys.Unlocked open(String address) {
        Wallet wallet = wallets.find(address).orElse(null);
        if (wallet == null || !wallet.active()) {
            return null;
        }
        return new UnlockedKeys.Unlocked(wallet, sealer.open(address, wallet.sealedKey()));
    }

    static boolean mayUse(Caller caller, Wallet wallet) {
        if (caller.isUser()) {
            return caller.subject().equals(wallet.ownerId());
        }
        return caller.hasScope(SIGN_SCOPE) && (caller.orgId() == null || caller.orgId().equals(wallet.organizationId()));
    }

    private static void checkAddress(String address) {
        try {
            WalletAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-address", "Invalid address", e.getMessage());
        }
    }
}
