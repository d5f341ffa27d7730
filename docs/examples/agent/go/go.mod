module example.com/holdfast/agentclient

go 1.21
