# privacy: messages of this area (ko)
