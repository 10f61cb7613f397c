using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace Remastered.Sessions.AspNetCore;

#pragma warning disable ASP0029 // Microsoft.Extensions.Validation is marked for evaluation in .NET 10; the app opted in by calling AddValidation.

/// <summary>
/// Keeps ASP.NET Core's request validation (<c>AddValidation</c>) from walking a session: its source generator treats a
/// schema inside an <c>[AsParameters]</c> type as request input (it cannot see the generated members), reads every key,
/// and answers 400 with the session's content for a stored value outside its annotations. The schema's entry answers
/// "nothing to validate" ahead of the generated resolver.
/// </summary>
internal sealed class SessionValidationExclusion(Type schema) : IPostConfigureOptions<ValidationOptions>, IValidatableInfoResolver, IValidatableInfo
{
    public void PostConfigure(string? name, ValidationOptions options)
    {
        // Request validation is on when something registered a resolver (AddValidation does, in its Configure step, which
        // runs before this). Without one there is nothing to keep away from the session, and a resolver of ours alone
        // would switch validation on: ASP.NET Core then gives every minimal-API endpoint its validation filter (and the
        // request delegate generator's filtered path sends strings without a Content-Type).
        if (options.Resolvers.Count > 0)
        {
            options.Resolvers.Insert(0, this);
        }
    }

    public bool TryGetValidatableTypeInfo(Type type, [NotNullWhen(true)] out IValidatableInfo? validatableInfo)
    {
        validatableInfo = type == schema ? this : null;
        return validatableInfo is not null;
    }

    public bool TryGetValidatableParameterInfo(ParameterInfo parameterInfo, [NotNullWhen(true)] out IValidatableInfo? validatableInfo)
    {
        validatableInfo = parameterInfo.ParameterType == schema ? this : null;
        return validatableInfo is not null;
    }

    public Task ValidateAsync(object? value, ValidateContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
