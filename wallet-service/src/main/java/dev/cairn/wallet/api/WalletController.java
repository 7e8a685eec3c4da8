package dev.cairn.wallet.api;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.web.Page;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.wallet.crypto.Bip39;
import dev.cairn.wallet.crypto.KeyAlgorithm;
import dev.cairn.wallet.store.Wallet;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Binary fields (keys, data, signatures, ciphertexts) are standard base64. */
@RestController
@RequestMapping({"/api/wallets", "/api/v1/wallets"})
class WalletController {

    static final int MAX_PAGE = 200;

    record CreateRequest(@NotBlank @Size(max = 200) String name, @NotNull KeyAlgorithm algorithm, Integer wordCount,
            @Size(max = 256) String passphrase) {
        @Override
        public String toString() {
            return "CreateRequest[" + name + ", " + algorithm + "]";
        }
    }

    record RecoverRequest(@NotBlank @Size(max = 1000) String mnemonic, @Size(max = 256) String passphrase, @NotNull KeyAlgorithm algorithm,
            @NotBlank @Size(max = 200) String name) {
        @Override
        public String toString() {
            return "RecoverRequest[" + name + ", " + algorithm + "]";
        }
    }

    record UpdateRequest(@Size(min = 1, max = 200) String name, @Size(max = 20) List<@Pattern(regexp = "[A-Za-z0-9 _.:-]{1,50}") String> tags) {
    }

    record DataRequest(@NotNull String data, Boolean preHashed) {
    }

    record CiphertextRequest(@NotNull String ciphertext) {
    }

    record VerifyRequest(String address, String publicKey, KeyAlgorithm algorithm, @NotNull String data, @NotNull String signature,
            Boolean preHashed) {
    }

    record CreatedView(String address, String publicKey, KeyAlgorithm algorithm, String derivationPath, String mnemonic, boolean recoverable,
            String name, Instant createdAt) {
        @Override
        public String toString() {
            return "CreatedView[" + address + "]";
        }
    }

    record WalletView(String address, String publicKey, KeyAlgorithm algorithm, String derivationPath, boolean recoverable, String name,
            List<String> tags, Instant createdAt, Instant updatedAt) {
        static WalletView of(Wallet w) {
            return new WalletView(w.address(), b64(w.publicKey()), w.algorithm(), w.derivationPath(), w.algorithm().recoverable(), w.name(),
                    w.tags(), w.createdAt(), w.updatedAt());
        }
    }

    record SignatureView(String signature, String publicKey, KeyAlgorithm algorithm) {
    }

    record VerifyView(boolean valid) {
    }

    record PublicKeyView(String address, KeyAlgorithm algorithm, String publicKey) {
    }

    record CiphertextView(String ciphertext) {
    }

    record DataView(String data) {
    }

    private final WalletService service;

    WalletController(WalletService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<CreatedView> create(Caller caller, @Valid @RequestBody CreateRequest request) {
        int words = request.wordCount() == null ? 24 : request.wordCount();
        if (!Bip39.WORD_COUNTS.contains(words)) {
            throw ApiException.badRequest("invalid-word-count", "wordCount must be 12, 15, 18, 21 or 24");
        }
        if (!request.algorithm().recoverable() && (request.passphrase() != null || request.wordCount() != null)) {
            throw ApiException.badRequest("not-recoverable", "RSA4096 wallets have no mnemonic: give neither wordCount nor passphrase");
        }
        WalletService.Created created = service.create(caller, request.name().trim(), request.algorithm(), words, request.passphrase());
        Wallet w = created.wallet();
        return ResponseEntity.status(HttpStatus.CREATED).body(new CreatedView(w.address(), b64(w.publicKey()), w.algorithm(),
                w.derivationPath(), created.mnemonic(), w.algorithm().recoverable(), w.name(), w.createdAt()));
    }

    record SystemRequest(@NotNull KeyAlgorithm algorithm) {
    }

    /** A Cairn service's own wallet of this name (scope {@code wallet:system}), created on first call. */
    @org.springframework.web.bind.annotation.PutMapping("/system/{name}")
    WalletView system(Caller caller, @PathVariable @Pattern(regexp = "[a-z0-9-]{1,50}") String name, @Valid @RequestBody SystemRequest request) {
        return WalletView.of(service.system(caller, name, request.algorithm()));
    }

    @PostMapping("/recover")
    ResponseEntity<WalletView> recover(Caller caller, @Valid @RequestBody RecoverRequest request) {
        Wallet wallet = service.recover(caller, request.mnemonic(), request.passphrase(), request.algorithm(), request.name().trim());
        return ResponseEntity.status(HttpStatus.CREATED).body(WalletView.of(wallet));
    }

    @GetMapping
    Page<WalletView> list(Caller caller, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(MAX_PAGE) int size) {
        return new Page<>(service.list(caller, page, size).stream().map(WalletView::of).toList(), page, size, service.count(caller));
    }

    @GetMapping("/{address}")
    WalletView get(Caller caller, @PathVariable String address) {
        return WalletView.of(service.get(caller, address));
    }

    @PatchMapping("/{address}")
    WalletView update(Caller caller, @PathVariable String address, @Valid @RequestBody UpdateRequest request) {
        return WalletView.of(service.update(caller, address, request.name() == null ? null : request.name().trim(), request.tags()));
    }

    @DeleteMapping("/{address}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String address) {
        service.delete(caller, address);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{address}/sign")
    SignatureView sign(Caller caller, @PathVariable String address, @Valid @RequestBody DataRequest request) {
        Wallet wallet = service.get(caller, address);
        byte[] signature = service.sign(caller, address, data(request.data(), "data"), Boolean.TRUE.equals(request.preHashed()));
        return new SignatureView(b64(signature), b64(wallet.publicKey()), wallet.algorithm());
    }

    @PostMapping("/verify")
    VerifyView verify(@Valid @RequestBody VerifyRequest request, Caller caller) {
        if ((request.address() == null) == (request.publicKey() == null)) {
            throw ApiException.badRequest("invalid-request", "Give either address or publicKey (with algorithm)");
        }
        if (request.publicKey() != null && request.algorithm() == null) {
            throw ApiException.badRequest("invalid-request", "algorithm is required with publicKey");
        }
        byte[] publicKey = request.publicKey() == null ? null : data(request.publicKey(), "publicKey");
        return new VerifyView(service.verify(request.address(), publicKey, request.algorithm(), data(request.data(), "data"),
                data(request.signature(), "signature"), Boolean.TRUE.equals(request.preHashed())));
    }

    /** Any caller: what encrypting to the wallet, or checking its signatures, needs (the address is the key's hash). */
    @GetMapping("/{address}/public-key")
    PublicKeyView publicKey(@PathVariable String address) {
        Wallet wallet = service.publicKey(address);
        return new PublicKeyView(wallet.address(), wallet.algorithm(), b64(wallet.publicKey()));
    }

    @PostMapping("/{address}/encrypt")
    CiphertextView encrypt(Caller caller, @PathVariable String address, @Valid @RequestBody DataRequest request) {
        return new CiphertextView(b64(service.encrypt(address, data(request.data(), "data"))));
    }

    @PostMapping("/{address}/decrypt")
    DataView decrypt(Caller caller, @PathVariable String address, @Valid @RequestBody CiphertextRequest request) {
        return new DataView(b64(service.decrypt(caller, address, decode(request.ciphertext(), "ciphertext", WalletService.MAX_DATA + 1024))));
    }

    private static byte[] data(String base64, String field) {
        return decode(base64, field, WalletService.MAX_DATA);
    }

    private static byte[] decode(String base64, String field, int limit) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-base64", "'" + field + "' is not valid base64");
        }
        if (bytes.length > limit) {
            throw ApiException.badRequest("data-too-large", "'" + field + "' is larger than 1 MiB");
        }
        return bytes;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
