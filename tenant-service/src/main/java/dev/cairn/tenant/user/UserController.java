package dev.cairn.tenant.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.web.Page;

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

@RestController
@RequestMapping("/api/tenants/users")
class UserController {

    record CreateUserRequest(@NotBlank @Email @Size(max = 320) String email, @NotBlank @Size(max = 200) String displayName,
            @NotBlank @Size(min = Passwords.MIN_LENGTH, max = Passwords.MAX_LENGTH) String password,
            @NotEmpty @Size(max = 5) List<@NotBlank String> roles) {
        @Override
        public String toString() {
            return "CreateUserRequest[roles=" + roles + "]";
        }
    }

    record UpdateUserRequest(@Size(min = 1, max = 200) String displayName, @Size(min = 1, max = 5) List<@NotBlank String> roles,
            String status, @Size(min = Passwords.MIN_LENGTH, max = Passwords.MAX_LENGTH) String password) {
        @Override
        public String toString() {
            return "UpdateUserRequest[roles=" + roles + ", status=" + status + "]";
        }
    }

    record UserView(UUID id, UUID organizationId, String email, String displayName, List<String> roles, String status,
            Instant createdAt, Instant updatedAt) {
        static UserView of(User u) {
            return new UserView(u.id(), u.organizationId(), u.email(), u.displayName(), u.roles(), u.status(), u.createdAt(), u.updatedAt());
        }
    }

    private final UserService service;

    UserController(UserService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<UserView> create(Caller caller, @Valid @RequestBody CreateUserRequest request) {
        User user = service.create(caller, request.email().trim(), request.displayName().trim(), request.password(), request.roles());
        return ResponseEntity.status(HttpStatus.CREATED).body(UserView.of(user));
    }

    @GetMapping
    Page<UserView> list(Caller caller, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(Page.MAX_SIZE) int size) {
        return service.list(caller, page, size).map(UserView::of);
    }

    @GetMapping("/{id}")
    UserView get(Caller caller, @PathVariable UUID id) {
        return UserView.of(service.get(caller, id));
    }

    @PatchMapping("/{id}")
    UserView update(Caller caller, @PathVariable UUID id, @Valid @RequestBody UpdateUserRequest request) {
        return UserView.of(service.update(caller, id, request.displayName() == null ? null : request.displayName().trim(),
                request.roles(), request.status(), request.password()));
    }

    /** Disables the user (accounts are never erased: the ledger may refer to them). */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> disable(Caller caller, @PathVariable UUID id) {
        service.update(caller, id, null, null, User.DISABLED, null);
        return ResponseEntity.noContent().build();
    }
}
