package dev.cairn.tenant.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.auth.InvalidTokenException;
import dev.cairn.platform.auth.RevocationList;
import dev.cairn.platform.auth.TokenVerifier;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.tenant.config.TenantProperties;
import dev.cairn.tenant.organization.Organizations;
import dev.cairn.tenant.token.TokenIssuer;
import dev.cairn.tenant.user.Passwords;
import dev.cairn.tenant.user.User;
import dev.cairn.tenant.user.Users;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sign-in, refresh, sign-out and revocation for users. Every failure of sign-in says the same
 * thing, whatever failed, so that answers never reveal whether an account exists.
 */
@Service
public class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);

    public record Tokens(String accessToken, String refreshToken, long expiresIn) {
        @Override
        public String toString() {
            return "Tokens[expiresIn=" + expiresIn + "]";
        }
    }

    private final Users users;
    private final Organizations organizations;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final RefreshTokens refreshTokens;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;
    private final RevocationList revocations;
    private final TenantProperties.Tokens lifetimes;
    private final Clock clock;

    public AuthService(Users users, Organizations organizations, Passwords passwords, LoginThrottle throttle, RefreshTokens refreshTokens,
            TokenIssuer issuer, TokenVerifier verifier, RevocationList revocations, TenantProperties properties, Clock clock) {
        this.users = users;
        this.organizations = organizations;
        this.passwords = passwords;
        this.throttle = throttle;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
        this.verifier = verifier;
        this.revocations = revocations;
        this.lifetimes = properties.tokens();
        this.clock = clock;
    }

    @Transactional
    public Tokens login(String email, String password) {
        throttle.checkNotLocked(email);
        Optional<User> found = users.findByEmail(email);
        if (found.isEmpty()) {
            passwords.burn();
            throttle.failed(email);
            throw invalidCredentials();
        }
        User user = found.get();
        if (!passwords.matches(password, user.passwordHash())) {
            throttle.failed(email);
            throw invalidCredentials();
        }
        if (!user.active() || !organizationActive(user.organizationId())) {
            throw invalidCredentials();
        }
        throttle.succeeded(email);
        return startSession(user);
    }

    private Tokens startSession(User user) {
        Instant now = clock.instant();
        UUID session = UUID.randomUUID();
        String refresh = refreshTokens.issue(session, user.id(), now, now.plus(lifetimes.refreshLifetime()));
        TokenIssuer.Issued access = issuer.forUser(user.id(), user.organizationId(), user.roles(), session);
        return new Tokens(access.token(), refresh, access.expiresInSeconds());
    }

    /**
     * Rotates a refresh token. A token used a second time means it was copied: the whole session
     * it belongs to is revoked, the legitimate holder's tokens included.
     */
    @Transactional(noRollbackFor = ApiException.class)
    public Tokens refresh(String refreshToken) {
        Instant now = clock.instant();
        if (refreshToken == null || !refreshToken.startsWith(RefreshTokens.PREFIX)) {
            throw invalidRefreshToken();
        }
        Optional<RefreshTokens.Stored> consumed = refreshTokens.consume(refreshToken, now);
        if (consumed.isEmpty()) {
            Optional<RefreshTokens.Stored> stored = refreshTokens.find(refreshToken);
            if (stored.isPresent() && stored.get().usedAt() != null && stored.get().revokedAt() == null) {
                UUID family = stored.get().familyId();
                refreshTokens.revokeFamily(family, now);
                revocations.revokeSession(family.toString());
                log.warn("Refresh token replayed; session {} of user {} revoked", family, stored.get().userId());
                throw new ApiException(HttpStatus.UNAUTHORIZED, "refresh-token-reused", "Unauthorized",
                        "This refresh token was used before; the session has been revoked and must sign in again");
            }
            throw invalidRefreshToken();
        }
        RefreshTokens.Stored token = consumed.get();
        User user = users.find(token.userId()).orElseThrow(AuthService::invalidRefreshToken);
        if (!user.active() || !organizationActive(user.organizationId())) {
            refreshTokens.revokeFamily(token.familyId(), now);
            throw invalidRefreshToken();
        }
        String next = refreshTokens.issue(token.familyId(), user.id(), now, now.plus(lifetimes.refreshLifetime()));
        TokenIssuer.Issued access = issuer.forUser(user.id(), user.organizationId(), user.roles(), token.familyId());
        return new Tokens(access.token(), next, access.expiresInSeconds());
    }

    /** Ends the caller's session: its refresh tokens and every access token issued in it. */
    @Transactional
    public void logout(Caller caller) {
        if (!caller.isUser()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Service tokens have no session to end");
        }
        Instant now = clock.instant();
        if (caller.sessionId() != null) {
            refreshTokens.revokeFamily(UUID.fromString(caller.sessionId()), now);
            revocations.revokeSession(caller.sessionId());
        }
        revocations.revokeToken(caller.tokenId(), caller.expiresAt());
    }

    /**
     * RFC 7009 revocation: a refresh token ends its session, an access token is revoked. Only the
     * token's owner or an Administrator of its organisation may; anything else (unknown,
     * expired, someone else's token) is answered the same way and changes nothing.
     */
    @Transactional
    public void revoke(Caller caller, String token) {
        Instant now = clock.instant();
        if (token.startsWith(RefreshTokens.PREFIX)) {
            refreshTokens.find(token).ifPresent(stored -> {
                if (mayRevokeFor(caller, stored.userId())) {
                    refreshTokens.revokeFamily(stored.familyId(), now);
                    revocations.revokeSession(stored.familyId().toString());
                }
            });
            return;
        }
        Caller owner;
        try {
            owner = verifier.verify(token);
        } catch (InvalidTokenException e) {
            return;
        }
        boolean allowed = owner.subject().equals(caller.subject())
                || (owner.isUser() && caller.isAdministrator() && owner.orgId() != null && owner.orgId().equals(caller.orgId()));
        if (allowed) {
            revocations.revokeToken(owner.tokenId(), owner.expiresAt());
        }
    }

    private boolean mayRevokeFor(Caller caller, UUID userId) {
        if (caller.subject().equals(userId.toString())) {
            return true;
        }
        return caller.isAdministrator() && users.find(userId).map(u -> caller.belongsTo(u.organizationId().toString())).orElse(false);
    }

    private boolean organizationActive(UUID organizationId) {
        return organizations.find(organizationId).map(o -> "active".equals(o.status())).orElse(false);
    }

    private static ApiException invalidCredentials() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid-credentials", "Unauthorized", "Invalid email or password");
    }

    private static ApiException invalidRefreshToken() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid-refresh-token", "Unauthorized",
                "The refresh token is not valid or has expired");
    }
}
