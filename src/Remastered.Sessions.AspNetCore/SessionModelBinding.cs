using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Tells MVC that a session schema taken by an action or a Razor Page handler comes from the request's services, as
/// minimal APIs and <c>[ApiController]</c> actions infer by themselves: without it, MVC model-binds the schema from
/// the form and query, and fails for want of a parameterless constructor. An explicit binding attribute still wins.
/// </summary>
internal sealed class SessionModelBinding : IConfigureOptions<MvcOptions>, IBindingMetadataProvider
{
    public void Configure(MvcOptions options) => options.ModelMetadataDetailsProviders.Add(this);

    public void CreateBindingMetadata(BindingMetadataProviderContext context)
    {
        if (context.BindingMetadata.BindingSource is null && typeof(ITypedSession).IsAssignableFrom(context.Key.ModelType))
        {
            context.BindingMetadata.BindingSource = BindingSource.Services;
        }
    }
}
