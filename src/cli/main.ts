console.log('runbook: under construction')
