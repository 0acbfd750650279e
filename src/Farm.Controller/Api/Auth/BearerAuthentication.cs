using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Farm.Controller.Api.Auth;

/// <summary>The scheme's options: the tokens of <c>--auth FILE</c>, or none (loopback clients only, each an admin).</summary>
public sealed class BearerAuthenticationOptions : AuthenticationSchemeOptions
{
    public AuthTokens? Tokens { get; set; }
}

/// <summary>
/// <c>Authorization: Bearer TOKEN</c> against the tokens of <c>--auth FILE</c>: the caller gets the
/// token's name and role as claims. Without <c>--auth</c> every (loopback) client is "loopback", an
/// admin: <see cref="LoopbackOnly"/> turned the others away before they got here. A missing or
/// unknown token is a 401 with <c>WWW-Authenticate: Bearer</c>, a role too low a 403 naming the
/// role needed, both application/problem+json.
/// </summary>
public sealed class BearerAuthentication(IOptionsMonitor<BearerAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<BearerAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>The name every client has when the API runs without <c>--auth</c>.</summary>
    public const string LoopbackName = "loopback";

    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Options.Tokens is not { } tokens)
        {
            return Task.FromResult(LoopbackOnly.IsLoopback(Context.Connection.RemoteIpAddress)
                ? Success(LoopbackName, ApiRoles.Admin)
                : AuthenticateResult.NoResult());
        }

        string header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length == Prefix.Length)
        {
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header must be 'Bearer TOKEN'"));
        }

        return Task.FromResult(tokens.Find(header[Prefix.Length..].Trim()) is { } caller
            ? Success(caller.Name, caller.Role)
            : AuthenticateResult.Fail("the token is not one of the controller's --auth file"));
    }

    private AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Options.Tokens is null)
        {
            await LoopbackOnly.RefuseAsync(Context).ConfigureAwait(false);
            return;
        }

        var failure = (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure;
        Response.Headers.WWWAuthenticate = failure is null ? SchemeName : $"{SchemeName} error=\"invalid_token\"";
        var detail = failure is null
            ? "this request needs a token: send the header 'Authorization: Bearer TOKEN' (farm commands take --token TOKEN or $FARM_TOKEN)"
            : $"{failure.Message}; send 'Authorization: Bearer TOKEN' with a token the controller's --auth file lists";
        await TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated").ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).MaxBy(ApiRoles.Rank) ?? ApiRoles.Admin;
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        var name = Context.User.Identity?.Name;
        var detail = $"'{name}' has the role {role}, and {Request.Method} {Request.Path} needs the role {needed} or higher; ask an admin for a token with that role";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed for this role").ExecuteAsync(Context);
    }
}

/// <summary>Without <c>--auth</c> the API serves only clients on this machine (the process says so when it starts).</summary>
public static class LoopbackOnly
{
    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>Answers a client from another machine: 403, saying how to serve it.</summary>
    public static Task RefuseAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TypedResults.Problem(
            $"this controller runs without --auth and serves only clients on its own machine, not {context.Connection.RemoteIpAddress}; start the controller with --auth FILE (tokens with roles) to serve other machines",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Only loopback clients are served").ExecuteAsync(context);
    }
}
