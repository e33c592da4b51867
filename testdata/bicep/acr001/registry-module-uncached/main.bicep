module registry 'br/public:avm/res/container-registry/registry:0.1.0' = {
  name: 'registry'
  params: {
    name: 'contosoregistry'
    acrAdminUserEnabled: true
  }
}
