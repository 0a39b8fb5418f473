// A whole platform from C#: the environment spec as typed objects (the same document as
// stacks/Pulumi.<env>.yaml), one Platform component, the output contract as stack outputs.
//
// The types come from the SDK that `pulumi install` generates from ../../components (the
// kubeplat component package); the components themselves run in Node.js, behind the package.
using System.Collections.Generic;
using Pulumi;
using Pulumi.Kubeplat;
using Pulumi.Kubeplat.Inputs;

return await Deployment.RunAsync(() =>
{
    var stack = Deployment.Instance.StackName;
    var config = new Config();
    var production = config.GetBoolean("production") ?? false;

    var platform = new Platform(stack, new PlatformArgs
    {
        Environment = new EnvironmentSpecArgs
        {
            Name = stack,
            Cloud = CloudName.Alicloud,
            Region = "cn-hangzhou",
            Production = production,
            // Slot order: append new zones at the end, never reorder.
            Zones = { "cn-hangzhou-i", "cn-hangzhou-j" },
            Vpc = new EnvironmentVpcArgs
            {
                // A /14 leaves each zone a /19 Terway pod vSwitch (8,192 pod addresses).
                Cidr = "10.0.0.0/14",
            },
            ConnectedRanges =
            {
                new EnvironmentConnectedRangeArgs
                {
                    Name = "office-vpn",
                    Cidr = "10.10.0.0/16",
                    Kind = ConnectedRangeKind.Vpn,
                },
            },
            Clusters =
            {
                new EnvironmentClusterArgs
                {
                    Name = "apps",
                    Edition = AckEdition.Pro,
                    KubernetesVersion = "1.36.1-aliyun.1",
                    Cni = ClusterCni.Terway,
                    NodePools =
                    {
                        new EnvironmentNodePoolArgs
                        {
                            // The default pool runs the system components: fixed size.
                            Name = "general",
                            MinSize = 2,
                            MaxSize = 3,
                            DesiredSize = 2,
                            Default = true,
                            InstanceTypes = { "ecs.g7.xlarge", "ecs.g6.xlarge" },
                            Image = NodePoolImageFamily.ContainerOs,
                            Runtime = ContainerRuntime.Containerd,
                            LoginKeyPair = "platform-" + stack,
                            Labels = { { "workload", "general" } },
                        },
                        new EnvironmentNodePoolArgs
                        {
                            Name = "batch",
                            MinSize = 0,
                            MaxSize = 4,
                            Autoscaling = true,
                            InstanceTypes = { "ecs.c7.2xlarge" },
                            Image = NodePoolImageFamily.ContainerOs,
                            LoginKeyPair = "platform-" + stack,
                            Taints =
                            {
                                new EnvironmentNodeTaintArgs
                                {
                                    Key = "workload",
                                    Value = "batch",
                                    Effect = TaintEffect.NoSchedule,
                                },
                            },
                        },
                    },
                    Security = new EnvironmentClusterSecurityArgs
                    {
                        DeletionProtection = production,
                        SecretsEncryption = true,
                    },
                    ApiServer = new EnvironmentApiServerArgs
                    {
                        Public = false,
                    },
                    Ingress =
                    {
                        new EnvironmentIngressArgs
                        {
                            Name = "public",
                            Kind = IngressControllerKind.Nginx,
                            Default = true,
                            AddressType = IngressAddressType.Internet,
                        },
                    },
                },
            },
            Tenancy = new EnvironmentTenancyArgs
            {
                Projects =
                {
                    new EnvironmentTenantProjectArgs
                    {
                        Name = "shop",
                        Clusters =
                        {
                            new EnvironmentProjectClusterArgs
                            {
                                Name = "apps",
                                Quota = { { "requests.cpu", "8" }, { "requests.memory", "16Gi" } },
                            },
                        },
                        Namespaces =
                        {
                            new EnvironmentTenantNamespaceArgs
                            {
                                Name = "web",
                                Cluster = "apps",
                                Quota = { { "requests.cpu", "4" }, { "requests.memory", "8Gi" } },
                                PodSecurity = PodSecurityLevel.Restricted,
                            },
                        },
                    },
                },
            },
            Access = new EnvironmentAccessArgs
            {
                // The API endpoint is private: pulumi up runs on a runner inside the VPC.
                DeployFrom = DeployFrom.Vpc,
                BreakGlassGroups = { "platform-break-glass" },
                Grants =
                {
                    new EnvironmentAccessGrantArgs { Group = "platform-ops", Role = AccessRole.Ops },
                    new EnvironmentAccessGrantArgs
                    {
                        Group = "shop-developers",
                        Role = AccessRole.Developer,
                        Namespaces = { "shop-web" },
                    },
                },
            },
            Tags = { { "env", stack }, { "team", "platform" } },
        },
    });

    // The versioned output contract other stacks read (see components/src/platform/contract.ts);
    // the kubeconfigs stay secret.
    return new Dictionary<string, object?>
    {
        ["contractVersion"] = platform.Outputs.Apply(o => o.ContractVersion),
        ["vpcId"] = platform.Outputs.Apply(o => o.Vpc.Id),
        ["vswitches"] = platform.Outputs.Apply(o => o.Vswitches),
        ["clusters"] = platform.Outputs.Apply(o => o.Clusters),
        ["kubeconfigs"] = platform.Kubeconfigs,
    };
});
