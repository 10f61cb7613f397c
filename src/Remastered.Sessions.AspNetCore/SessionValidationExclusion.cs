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
    public void PostConfigure(string? name, ValidationOptions options) => options.Resolvers.Insert(0, this);

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
