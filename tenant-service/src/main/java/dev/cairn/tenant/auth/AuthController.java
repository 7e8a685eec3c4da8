package dev.cairn.tenant.auth;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.cairn.platform.auth.Caller;
import dev.cairn.tenant.organization.OrganizationService;
import dev.cairn.tenant.user.User;
import dev.cairn.tenant.user.UserService;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/auth")
class AuthController {

    /** Email is checked for length only: a malformed email simply does not sign in. */
    record LoginRequest(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 256) String password) {
        @Override
        public String toString() {
            return "LoginRequest[]";
        }
    }

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[]";
        }
    }

    record RevokeRequest(@NotBlank @Size(max = 8192) String token, @Size(max = 50) String tokenTypeHint) {
        @Override
        public String toString() {
            return "RevokeRequest[]";
        }
    }

    record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
        @Override
        public String toString() {
            return "TokenResponse[expiresIn=" + expiresIn + "]";
        }
    }

    record Me(String type, String id, String email, String displayName, String organizationId, String organizationName,
            List<String> roles, List<String> scopes) {
    }

    private final AuthService auth;
    private final UserService users;
    private final OrganizationService organizations;

    AuthController(AuthService auth, UserService users, OrganizationService organizations) {
        this.auth = auth;
        this.users = users;
        this.organizations = organizations;
    }

    @PostMapping("/login")
    ResponseEntity<TokenResponse> login(@Valid @RequestBody LoginRequest request) {
        return tokens(auth.login(request.email().trim(), request.password()));
    }

    @PostMapping("/token/refresh")
    ResponseEntity<TokenResponse> refresh(@Valid @RequestBody RefreshRequest request) {
        return tokens(auth.refresh(request.refreshToken().trim()));
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(Caller caller) {
        auth.logout(caller);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/token/revoke")
    ResponseEntity<Void> revoke(Caller caller, @Valid @RequestBody RevokeRequest request) {
        auth.revoke(caller, request.token().trim());
        return ResponseEntity.ok().build();
    }

    @GetMapping("/me")
    Me me(Caller caller) {
        if (caller.isService()) {
            return new Me("service", caller.subject(), null, null, caller.orgId(), null, List.of(), List.copyOf(caller.scopes()));
        }
        User user = users.me(caller);
        String organizationName = organizations.name(user.organizationId()).orElse(null);
        return new Me("user", user.id().toString(), user.email(), user.displayName(), user.organizationId().toString(), organizationName,
                user.roles(), List.of());
    }

    private static ResponseEntity<TokenResponse> tokens(AuthService.Tokens tokens) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new TokenResponse(tokens.accessToken(), tokens.refreshToken(), "Bearer", tokens.expiresIn()));
    }
}
