package dev.cairn.tenant.principal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tenants/service-principals")
class ServicePrincipalController {

    record CreateRequest(@NotBlank @Size(max = 200) String name, @NotEmpty @Size(max = 10) List<@NotBlank String> scopes) {
    }

    record PrincipalView(UUID id, UUID organizationId, String clientId, String name, List<String> scopes, String status,
            Instant createdAt, Instant updatedAt) {
        static PrincipalView of(ServicePrincipal p) {
            return new PrincipalView(p.id(), p.organizationId(), p.clientId(), p.name(), p.scopes(), p.status(), p.createdAt(), p.updatedAt());
        }
    }

    /** The only time a client secret is shown. */
    record CredentialsView(UUID id, String clientId, String clientSecret, List<String> scopes) {
        @Override
        public String toString() {
            return "CredentialsView[clientId=" + clientId + "]";
        }
    }

    private final ServicePrincipalService service;

    ServicePrincipalController(ServicePrincipalService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<CredentialsView> create(Caller caller, @Valid @RequestBody CreateRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(credentials(service.create(caller, request.name().trim(), request.scopes())));
    }

    @GetMapping
    Page<PrincipalView> list(Caller caller, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(Page.MAX_SIZE) int size) {
        return service.list(caller, page, size).map(PrincipalView::of);
    }

    @GetMapping("/{id}")
    PrincipalView get(Caller caller, @PathVariable UUID id) {
        return PrincipalView.of(service.get(caller, id));
    }

    @PostMapping("/{id}/secret")
    CredentialsView rotateSecret(Caller caller, @PathVariable UUID id) {
        return credentials(service.rotateSecret(caller, id));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> disable(Caller caller, @PathVariable UUID id) {
        service.disable(caller, id);
        return ResponseEntity.noContent().build();
    }

    private static CredentialsView credentials(ServicePrincipalService.WithSecret created) {
        ServicePrincipal p = created.principal();
        return new CredentialsView(p.id(), p.clientId(), created.clientSecret(), p.scopes());
    }
}
